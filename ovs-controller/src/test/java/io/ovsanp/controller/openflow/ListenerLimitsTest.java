package io.ovsanp.controller.openflow;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ovsanp.testkit.Wait;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A listener on loopback under a flood of connections that never finish (or fail) their handshake:
 * the gate keeps the half-open ones within the limits, the handshake timeout closes them, and the log
 * gets a few lines and a summary instead of a line per connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ListenerLimitsTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(SwitchListener.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() throws Exception {
        logger.detachAppender(appender);
        for (Socket s : sockets) {
            s.close();
        }
    }

    private Socket open(InetSocketAddress at) throws Exception {
        Socket s = new Socket();
        s.connect(at, 5000);
        s.setSoTimeout(10_000);
        sockets.add(s);
        return s;
    }

    /** Whether the server closed {@code s} without a word (an admitted connection gets HELLO first). */
    private static boolean closedByServer(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        try {
            return in.readAllBytes().length == 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    private List<String> warnings() {
        return appender.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void halfOpenConnectionsBeyondTheLimitsAreClosedAtOnceAndTheRestTimeOut() throws Exception {
        ListenerLimits limits = new ListenerLimits(4, 4, 2, Duration.ofMinutes(1));
        ConnectionConfig config = ConnectionConfig.DEFAULT.withHandshakeTimeout(Duration.ofSeconds(2));
        try (SwitchListener listener = SwitchListener.listen(
                SwitchTarget.parse("ptcp:0:127.0.0.1"), Optional.empty(), config, limits, c -> {})) {
            InetSocketAddress at = listener.localAddress();
            List<Socket> admitted = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                admitted.add(open(at));
            }
            Wait.until(() -> listener.handshakesInProgress() == 4, Duration.ofSeconds(10), "4 handshakes in progress");
            for (int i = 0; i < 20; i++) {
                Socket extra = open(at);
                assertThat(closedByServer(extra))
                        .as("connection %d over the limit", i)
                        .isTrue();
            }
            assertThat(listener.handshakesInProgress()).isEqualTo(4);

            // the admitted ones got HELLO and, saying nothing, are closed by the handshake timeout
            for (Socket s : admitted) {
                byte[] all = s.getInputStream().readAllBytes(); // HELLO, then closed at the timeout
                assertThat(all).as("OpenFlow 1.3 HELLO").startsWith(0x04, 0x00);
            }
            Wait.until(() -> listener.handshakesInProgress() == 0, Duration.ofSeconds(10), "the gate to empty");
            assertThat(open(at).getInputStream().readNBytes(2))
                    .as("admitted again")
                    .containsExactly(0x04, 0x00);
        }
        List<String> w = warnings();
        assertThat(w).as("at most the 2 lines a window logs: %s", w).hasSizeLessThanOrEqualTo(2);
        assertThat(w).anyMatch(l -> l.contains("refused: 4 handshakes in progress (at most 4)"));
    }

    @Test
    void aFloodOfFailedHandshakesLogsAFewLinesThenASummary() throws Exception {
        ListenerLimits limits = new ListenerLimits(64, 8, 3, Duration.ofSeconds(2));
        try (SwitchListener listener = SwitchListener.listen(
                SwitchTarget.parse("ptcp:0:127.0.0.1"), Optional.empty(), ConnectionConfig.DEFAULT, limits, c -> {})) {
            InetSocketAddress at = listener.localAddress();
            for (int i = 0; i < 300; i++) {
                try (Socket s = new Socket()) {
                    s.connect(at, 5000);
                    s.setSoTimeout(10_000);
                    OutputStream out = s.getOutputStream();
                    // an OpenFlow 1.0 HELLO: the handshake fails at once (1.3 is required)
                    out.write(new byte[] {0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01});
                    out.flush();
                    s.getInputStream().readAllBytes();
                } catch (SocketException reset) {
                    // closed with a reset: also a failed handshake
                }
            }
            Wait.until(
                    () -> warnings().stream().anyMatch(l -> l.contains("failed handshakes from 1 address")),
                    Duration.ofSeconds(20),
                    "a summary line (warnings: " + warnings() + ")");
        }
        List<String> w = warnings();
        assertThat(w.size()).as("lines for 300 failed handshakes: %s", w).isLessThanOrEqualTo(3 + 2);
        assertThat(w).noneMatch(l -> l.matches(".*127\\.0\\.0\\.1:[0-9]+.*"));
    }
}
