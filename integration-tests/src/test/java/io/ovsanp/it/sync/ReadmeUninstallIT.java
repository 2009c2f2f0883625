package io.ovsanp.it.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.flow.Cookie;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Command;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Install, verify, uninstall" commands for a node's flows, taken from README.md between
 * their markers and run as written (through {@code bash -c}, {@code br-int} resolved to a private
 * switch's bridge) against a bridge that holds ovs-anp's flows (installed by {@code ovs-anp sync
 * --once}) and flows of other owners, among them cookies that carry {@code 0xa5} in another byte: the
 * verify command lists exactly ovs-anp's, the uninstall command removes exactly those.
 */
class ReadmeUninstallIT {
    private static final String CLUSTER = "examples/node-ports-blocked";
    private static final String NODE = "worker-1";
    /** Other owners' flows: no cookie, another owner byte, and 0xa5 in the rule-id and category bytes. */
    private static final List<String> FOREIGN = List.of(
            "cookie=0x0,table=200,priority=7,ip,nw_dst=203.0.113.1,actions=drop",
            "cookie=0xb500000000,table=200,priority=7,ip,nw_dst=203.0.113.2,actions=drop",
            "cookie=0xa5,table=200,priority=7,ip,nw_dst=203.0.113.3,actions=drop",
            "cookie=0xa50000000000,table=200,priority=7,ip,nw_dst=203.0.113.4,actions=drop");

    /** The command of README.md between {@code <!-- marker -->} and {@code <!-- /marker -->}. */
    static String readmeCommand(String marker) throws Exception {
        String readme = Files.readString(SyncCliIT.repo().resolve("README.md"));
        Matcher m = Pattern.compile(
                        "(?s)<!-- " + Pattern.quote(marker) + " -->\\n(.*?)\\n<!-- /" + Pattern.quote(marker) + " -->")
                .matcher(readme);
        assertThat(m.find())
                .as("README.md has <!-- %s --> ... <!-- /%s -->", marker, marker)
                .isTrue();
        List<String> lines = m.group(1).lines().map(String::strip).toList();
        assertThat(lines).as("one command between the %s markers", marker).hasSize(1);
        return lines.get(0);
    }

    @Test
    void theReadmesCookieMaskSelectsAndRemovesExactlyOvsAnpsFlows() throws Exception {
        Needs.ovs();
        String verify = readmeCommand("verify-flows");
        String uninstall = readmeCommand("uninstall-flows");
        // the README's mask is the one the controller dumps and deletes under
        String mask = "cookie=0x" + Long.toHexString((long) Cookie.OWNER_TAG << 32) + "/0x"
                + Long.toHexString(Cookie.OWNER_MASK);
        assertThat(verify).contains(mask).contains("br-int");
        assertThat(uninstall).contains(mask).contains("br-int");

        try (PrivateOvs ovs = PrivateOvs.start()) {
            Bridge bridge = ovs.addBridge("br-int");
            Command.Result sync = SyncCliIT.ovsAnp(
                    ovs, "sync", "--cluster", CLUSTER, "--node", NODE, "--switch", bridge.target(), "--once");
            assertThat(sync.exit()).as(sync.output()).isZero();
            bridge.addFlows(String.join("\n", FOREIGN) + "\n");
            int ours = CompiledFlows.count(SyncCliIT.repo().resolve(CLUSTER), NODE);
            assertThat(ours).isPositive();
            assertThat(bridge.dumpFlows()).as(bridge.describe()).hasSize(ours + FOREIGN.size());

            List<String> listed = flowLines(readmeStep(ovs, verify).stdout());
            assertThat(listed).as("the verify command's flows").hasSize(ours);
            assertThat(listed)
                    .as("none of another owner's")
                    .noneMatch(f -> f.contains("203.0.113."))
                    .allSatisfy(f -> assertThat(cookieOf(f))
                            .satisfies(c ->
                                    assertThat(new Cookie(c).isOurs()).as(f).isTrue()));

            readmeStep(ovs, uninstall);
            List<String> left = bridge.dumpFlows();
            assertThat(left).as(bridge.describe()).hasSize(FOREIGN.size());
            for (String f : FOREIGN) {
                String dst = f.replaceFirst(".*(nw_dst=[0-9.]+).*", "$1");
                assertThat(left).as("kept: " + f).anyMatch(l -> l.contains(dst));
            }
            assertThat(flowLines(readmeStep(ovs, verify).stdout()))
                    .as("no flow of ovs-anp's left")
                    .isEmpty();
        }
    }

    /** A README command, run as written by bash, with the private switch's run directory. */
    private static Command.Result readmeStep(PrivateOvs ovs, String command) {
        Command.Result r = ovs.command("bash", "-c", command).run();
        assertThat(r.exit()).as(command + "\n" + r.output()).isZero();
        return r;
    }

    /** The flow lines of an {@code ovs-ofctl dump-flows} output (not its reply header). */
    private static List<String> flowLines(String dump) {
        return dump.lines()
                .map(String::strip)
                .filter(l -> l.startsWith("cookie="))
                .toList();
    }

    private static long cookieOf(String flow) {
        Matcher m = Pattern.compile("cookie=0x([0-9a-f]+)").matcher(flow);
        assertThat(m.find()).as(flow).isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }
}
