package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.controller.openflow.wire.OfError;
import io.ovsanp.controller.openflow.wire.RoleMessage;
import io.ovsanp.controller.openflow.wire.RoleMessage.Role;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OpenFlow roles on a real ovs-vswitchd, the facts central mode's fence rests on (docs/ovs-notes.md
 * §5.3): MASTER demotes the other master, a generation behind the largest seen is stale, and a
 * slave's bundle is refused by the switch, its flows unchanged.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RoleOvsTest {
    private static final String FLOW = "table=3,priority=7,cookie=0xa500000001,ip,nw_src=10.9.9.";

    private PrivateOvs ovs;
    private Path mgmt;
    private final List<OfConnection> open = new ArrayList<>();

    @BeforeEach
    void startOvs() {
        Needs.ovs();
        ovs = PrivateOvs.start();
        mgmt = ovs.addBridge("br-int").mgmtSocket();
    }

    @AfterEach
    void stopOvs() {
        open.forEach(OfConnection::close);
        if (ovs != null) {
            ovs.close();
        }
    }

    private OfConnection connect() throws Exception {
        OfConnection c = SwitchConnector.connect(
                        SwitchTarget.parse("unix:" + mgmt), Optional.empty(), ConnectionConfig.DEFAULT)
                .get(20, TimeUnit.SECONDS);
        open.add(c);
        return c;
    }

    private static RoleMessage role(OfConnection c, Role role, long generation) throws Exception {
        return c.requestRole(role, generation).get(10, TimeUnit.SECONDS);
    }

    private static OfError refusal(OfConnection c, Role role, long generation) {
        try {
            role(c, role, generation);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OfErrorException oe) {
                return oe.error().error();
            }
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(role + " with generation " + generation + " was accepted");
    }

    private String dump() {
        return ovs.ofctl("-O", "OpenFlow13", "dump-flows", "--no-stats", "br-int")
                .stdout();
    }

    @Test
    void aNewerMasterDemotesTheOldOneWhichCanNeitherWriteNorComeBack() throws Exception {
        OfConnection old = connect();
        OfConnection newer = connect();
        assertThat(role(old, Role.NOCHANGE, 0).role()).as("the default role").isEqualTo(Role.EQUAL);
        RoleMessage reply = role(old, Role.MASTER, 5);
        assertThat(reply.reply()).isTrue();
        assertThat(reply.role()).isEqualTo(Role.MASTER);
        assertThat(reply.generationId()).isEqualTo(5);
        old.bundle(OfConnectionOvsTest.adds(old, FLOW + "1 actions=drop")).get(10, TimeUnit.SECONDS);

        assertThat(role(newer, Role.MASTER, 6).role()).isEqualTo(Role.MASTER);
        RoleMessage now = role(old, Role.NOCHANGE, 0);
        assertThat(now.role()).as("demoted by the newer master").isEqualTo(Role.SLAVE);
        assertThat(now.generationId()).isEqualTo(6);

        String before = dump();
        assertThatThrownBy(() -> old.bundle(OfConnectionOvsTest.adds(old, FLOW + "2 actions=drop"))
                        .get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        BundleRejectedException.class,
                        e -> assertThat(e.failures())
                                .extracting(f -> f.error().error())
                                .containsOnly(OfError.IS_SECONDARY)
                                .isNotEmpty());
        assertThat(dump()).isEqualTo(before).contains("nw_src=10.9.9.1").doesNotContain("nw_src=10.9.9.2");

        assertThat(refusal(old, Role.MASTER, 5)).isEqualTo(OfError.ROLE_STALE);
        assertThat(refusal(old, Role.SLAVE, 5)).as("a stale SLAVE request too").isEqualTo(OfError.ROLE_STALE);
        newer.bundle(OfConnectionOvsTest.adds(newer, FLOW + "3 actions=drop")).get(10, TimeUnit.SECONDS);
        assertThat(dump()).contains("nw_src=10.9.9.3");
    }

    @Test
    void generationsCompareAsASigned64BitDistanceAndAnEqualOneIsAccepted() throws Exception {
        OfConnection a = connect();
        OfConnection b = connect();
        role(a, Role.MASTER, 0x7fff_ffff_ffff_fff0L);
        // past 2^63 is "later" as a distance, not smaller as a signed number
        assertThat(role(b, Role.MASTER, 0x8000_0000_0000_0005L).role()).isEqualTo(Role.MASTER);
        assertThat(role(a, Role.MASTER, 0x8000_0000_0000_0005L).role()).isEqualTo(Role.MASTER);
        assertThat(role(b, Role.NOCHANGE, 0).role()).isEqualTo(Role.SLAVE);
        assertThat(refusal(b, Role.MASTER, 0x7fff_ffff_ffff_fff0L)).isEqualTo(OfError.ROLE_STALE);
    }
}
