package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML matrix in a real browser: headless Debian {@code chromium} renders {@code matrix --format
 * html} of examples/node-ports-blocked. A script added to a copy of the page writes each cell's
 * computed background into the DOM, {@code --dump-dom} returns it, and the test asserts colours and
 * titles of known cells; a screenshot must show both the allow and the deny colour. Skipped when
 * chromium is missing, failed instead with {@code CI=true} (.ci/run installs it). With {@code
 * -Dmatrix.screenshot=PATH} the screenshot is kept (docs/matrix-node-ports-blocked.png is made so).
 */
class MatrixBrowserTest {
    private static final Pattern TD = Pattern.compile("<td ([^>]*)>");
    private static final Pattern ATTR = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");
    private static final String DENY_RGB = "rgb(244, 163, 163)";
    private static final String ALLOW_RGB = "rgb(168, 230, 161)";

    @TempDir
    Path dir;

    private static String chromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (new File(candidate).canExecute()) return candidate;
        }
        String message =
                "chromium not installed (apt-get install chromium): the HTML matrix is not checked in a browser";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assumptions.abort(message);
        return null;
    }

    private List<String> run(String chromium, String... args) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> cmd = new ArrayList<>(List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("chromium.out");
        Path err = dir.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish: " + String.join(" ", cmd));
        }
        assertThat(p.exitValue()).as(Files.readString(err)).isZero();
        return List.of(Files.readString(out));
    }

    @Test
    void theRenderedCellsShowTheVerdictsInColourAndNameTheDecidingRule() throws Exception {
        String chromium = chromium();
        CliRun r = CliRun.of(
                "matrix",
                "--cluster",
                // relative, as a user types it: the page (and the README's picture) shows the path given
                Path.of("")
                        .toAbsolutePath()
                        .relativize(CliRun.repo().resolve("examples/node-ports-blocked"))
                        .toString(),
                "--format",
                "html");
        assertThat(r.exit()).as(r.err()).isZero();
        String html = r.out();
        assertThat(html).doesNotContain("http://", "https://", "<link", "src=");
        Path page = dir.resolve("matrix.html");
        Files.writeString(page, html);
        String probe = html.replace(
                "</body>",
                "<script>for (const td of document.querySelectorAll('td')) {"
                        + " td.setAttribute('data-bg', getComputedStyle(td).backgroundColor); }</script>\n</body>");
        Path probePage = dir.resolve("probe.html");
        Files.writeString(probePage, probe);

        String dom = run(chromium, "--dump-dom", probePage.toUri().toString()).get(0);
        Map<String, Map<String, String>> cells = new HashMap<>();
        Matcher td = TD.matcher(dom);
        while (td.find()) {
            Map<String, String> attrs = new HashMap<>();
            Matcher a = ATTR.matcher(td.group(1));
            while (a.find()) attrs.put(a.group(1), a.group(2));
            cells.put(attrs.get("data-port") + " " + attrs.get("data-from") + " " + attrs.get("data-to"), attrs);
        }
        assertThat(cells).isNotEmpty();
        assertThat(cells.values()).allSatisfy(c -> assertThat(c).containsKey("data-bg"));

        // the kubelet port of a node: denied by the ANP's rule, on the egress side
        Map<String, String> kubelet = cells.get("tcp/10250 shop/web worker-2");
        assertThat(kubelet.get("data-bg")).isEqualTo(DENY_RGB);
        assertThat(kubelet.get("title"))
                .startsWith("DENY (egress denies)")
                .contains("[AdminNetworkPolicy tier]", "AdminNetworkPolicy/protect-nodes", "deny-node-ports");
        // the same port on a pod: allowed, no rule decides
        Map<String, String> pod = cells.get("tcp/10250 shop/web shop/db");
        assertThat(pod.get("data-bg")).isEqualTo(ALLOW_RGB);
        assertThat(pod.get("title")).startsWith("ALLOW").contains("no rule matched");
        // a NodePort of the apiserver's node, and a port no rule names on it
        assertThat(cells.get("tcp/30000 analytics/reporter apiserver 172.18.0.10")
                        .get("data-bg"))
                .isEqualTo(DENY_RGB);
        assertThat(cells.get("tcp/1024 analytics/reporter apiserver 172.18.0.10")
                        .get("data-bg"))
                .isEqualTo(ALLOW_RGB);
        // a host-network pod is not policed at egress
        assertThat(cells.get("tcp/22 kube-system/node-exporter cp-1").get("data-bg"))
                .isEqualTo(ALLOW_RGB);

        Path png = dir.resolve("matrix.png");
        run(
                chromium,
                "--screenshot=" + png,
                "--window-size=640,1560",
                page.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        int allow = 0;
        int deny = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (near(rgb, 0xa8e6a1)) allow++;
                if (near(rgb, 0xf4a3a3)) deny++;
            }
        }
        assertThat(allow).as("allow-coloured pixels").isGreaterThan(2000);
        assertThat(deny).as("deny-coloured pixels").isGreaterThan(2000);
        String keep = System.getProperty("matrix.screenshot", "");
        if (!keep.isEmpty()) {
            Files.copy(png, Path.of(keep), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean near(int rgb, int want) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs(((rgb >> shift) & 0xff) - ((want >> shift) & 0xff)) > 3) return false;
        }
        return true;
    }
}
