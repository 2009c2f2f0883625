package io.ovsanp.it.central;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.ovsanp.controller.kube.ClusterWatcher;
import io.ovsanp.devapiserver.DevApiServer;
import io.ovsanp.it.run.OvsAnpProcess;
import io.ovsanp.testkit.Bridge;
import io.ovsanp.testkit.Needs;
import io.ovsanp.testkit.PrivateOvs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Central mode against impostors, all real: {@code bin/ovs-anp run --listen pssl:} as a process
 * with certificates from deploy/pki/ovs-anp-pki.sh, worker-1's real br-int (its own ovs-vswitchd and
 * network namespace) with worker-1's certificate, and three impostors claiming the real switch's
 * datapath id while it is connected: an ovs-vswitchd with worker-2's certificate, an ovs-vswitchd
 * dialling without TLS, and a TLS client without a certificate. The real switch converges; every
 * impostor is refused, keeps retrying, gets no flow; an ANP delete reaches the real switch meanwhile;
 * the refusals cost a few log lines, not one per attempt.
 */
class CentralIdentityIT {
    private static final String DPID = "00000000000000a1";
    private static final Pattern LISTENING = Pattern.compile("listening for switches on \\S*:(\\d+)");

    @TempDir
    Path pki;

    @Test
    void onlyTheSwitchWithTheNodesCertificateGetsTheNodesPolicyWhileImpostorsRetry() throws Exception {
        Needs.ovs();
        Path repo = Path.of(System.getProperty("ovsanp.repo", ".."))
                .toAbsolutePath()
                .normalize();
        CentralPki.make(repo, pki, "worker-1", "worker-2");
        Path example = repo.resolve("examples/node-ports-blocked");
        KubernetesMockServer server =
                DevApiServer.start(0, List.of(example.resolve("cluster.yaml"), example.resolve("policy.yaml")));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger certlessAttempts = new AtomicInteger();
        Thread certless = null;
        try (PrivateOvs real = PrivateOvs.start();
                PrivateOvs otherCert = PrivateOvs.start();
                PrivateOvs noTls = PrivateOvs.start();
                KubernetesClient client = server.createClient();
                OvsAnpProcess out = OvsAnpProcess.start(repo, "run", runArgs(server))) {
            waitFor(() -> LISTENING.matcher(out.output()).find(), 240, out); // first use may build the jar
            Matcher m = LISTENING.matcher(out.output());
            assertThat(m.find()).isTrue();
            int port = Integer.parseInt(m.group(1));

            Bridge realBr = bridge(real, pki, "worker-1");
            PrivateOvs.Link realLink = real.linkToRoot();
            real.vsctl("set-controller", "br-int", "ssl:" + realLink.outside() + ":" + port);
            waitFor(() -> realBr.dumpFlows().stream().anyMatch(f -> f.contains("tp_dst=10250")), 60, out);
            int realFlows = realBr.dumpFlows().size();

            // The impostors, all claiming the real switch's datapath id while it is connected.
            Bridge otherBr = bridge(otherCert, pki, "worker-2");
            PrivateOvs.Link otherLink = otherCert.linkToRoot();
            otherCert.vsctl("set-controller", "br-int", "ssl:" + otherLink.outside() + ":" + port);
            Bridge plainBr = bridge(noTls, null, null);
            PrivateOvs.Link plainLink = noTls.linkToRoot();
            noTls.vsctl("set-controller", "br-int", "tcp:" + plainLink.outside() + ":" + port);
            certless = new Thread(() -> certlessImpostor(realLink.outside(), port, stop, certlessAttempts));
            certless.start();

            waitFor(
                    () -> out.output().contains("with certificate \"CN=ovs-anp-node:worker-2\"")
                            && out.output().contains("is held by node worker-1's connected switch"),
                    30,
                    out);
            waitFor(
                    () -> out.output()
                            .contains("a switch failed to connect: TLS handshake with ssl:" + plainLink.inside()),
                    30,
                    out);
            waitFor(() -> certlessAttempts.get() >= 3, 30, out);
            int otherTries = connectAttempts(otherCert);
            int plainTries = connectAttempts(noTls);

            // A policy change reaches the real switch while the impostors keep knocking.
            long t0 = System.nanoTime();
            client.genericKubernetesResources(ClusterWatcher.ADMIN_NETWORK_POLICY)
                    .withName("protect-nodes")
                    .delete();
            waitFor(() -> realBr.dumpFlows().stream().noneMatch(f -> f.contains("tp_dst=10250")), 10, out);
            long realisedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("CentralIdentityIT: ANP delete realised on the real switch in %d ms%n", realisedMs);
            assertThat(realBr.dumpFlows()).hasSizeLessThan(realFlows);

            // The impostors retried and never got a flow.
            waitFor(() -> connectAttempts(otherCert) > otherTries && connectAttempts(noTls) > plainTries, 30, out);
            assertThat(otherBr.dumpFlows())
                    .as("worker-2's certificate claiming worker-1's switch")
                    .isEmpty();
            assertThat(plainBr.dumpFlows()).as("plain tcp to the pssl listener").isEmpty();
            String log = out.output();
            assertThat(log).doesNotContain("is node worker-2").contains("is node worker-1 (certificate");
            // a few lines for dozens of attempts: each distinct refusal once per minute
            long warnings = log.lines()
                    .filter(l -> l.contains(" WARN "))
                    .filter(l -> l.contains(otherLink.inside())
                            || l.contains(plainLink.inside())
                            || l.contains(realLink.inside()))
                    .count();
            int attempts = certlessAttempts.get() + connectAttempts(otherCert) + connectAttempts(noTls);
            assertThat(warnings)
                    .as("WARN lines about %d impostor attempts:%n%s", attempts, log)
                    .isLessThanOrEqualTo(10)
                    .isLessThan(attempts);
        } finally {
            stop.set(true);
            if (certless != null) certless.join(10_000);
            DevApiServer.stop(server);
        }
    }

    /** br-int with the real switch's datapath id; with TLS files when {@code node} is given. */
    private static Bridge bridge(PrivateOvs ovs, Path pki, String node) {
        Bridge b = ovs.addBridge("br-int");
        ovs.vsctl("set", "bridge", "br-int", "other_config:datapath-id=" + DPID);
        if (node != null) {
            ovs.vsctl(
                    "set-ssl",
                    pki.resolve("node-" + node + ".key").toString(),
                    pki.resolve("node-" + node + ".pem").toString(),
                    pki.resolve("ca.pem").toString());
        }
        return b;
    }

    /** How often this ovs-vswitchd has started connecting to its controller (its log's "connecting..."). */
    private static int connectAttempts(PrivateOvs ovs) {
        try {
            return (int) Files.readAllLines(ovs.runDir().resolve("ovs-vswitchd.log")).stream()
                    .filter(l -> l.contains("connecting..."))
                    .count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every 300 ms: TLS without a client certificate, then HELLO and a FEATURES_REPLY with DPID. */
    private static void certlessImpostor(String host, int port, AtomicBoolean stop, AtomicInteger attempts) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustAll()}, null);
            while (!stop.get()) {
                attempts.incrementAndGet();
                try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(host, port)) {
                    s.setSoTimeout(2000);
                    s.startHandshake();
                    OutputStream o = s.getOutputStream();
                    o.write(new byte[] {4, 0, 0, 8, 0, 0, 0, 1}); // HELLO
                    byte[] features = new byte[32];
                    features[0] = 4;
                    features[1] = 6; // FEATURES_REPLY
                    features[3] = 32;
                    features[15] = (byte) 0xa1; // datapath id ...a1
                    o.write(features);
                    o.flush();
                    s.getInputStream().readAllBytes();
                } catch (IOException refused) {
                    // what we expect
                }
                Thread.sleep(300);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private String[] runArgs(KubernetesMockServer server) {
        List<String> args = new java.util.ArrayList<>(CentralPki.listenArgs(pki));
        args.addAll(List.of("--metrics-address", "127.0.0.1:0", "--server", DevApiServer.url(server)));
        return args.toArray(String[]::new);
    }

    private static void waitFor(BooleanSupplier condition, int seconds, OvsAnpProcess out) {
        out.waitFor(condition, Duration.ofSeconds(seconds), "the switches or the controller");
    }
}
