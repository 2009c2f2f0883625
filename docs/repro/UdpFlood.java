import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A paced UDP flood for docs/repro/audit-flood.sh: {@code java UdpFlood.java HOST PORT PPS SECONDS}
 * sends 18-byte datagrams to HOST:PORT at PPS (0: as fast as it can) for SECONDS and prints the number
 * the kernel accepted. Run in a lab pod's network namespace; a denied destination never answers, and a packet of a
 * connection ovs-anp denies is never committed to conntrack, so every packet is a new connection to
 * the policy tables.
 */
public final class UdpFlood {
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: java UdpFlood.java HOST PORT PPS SECONDS");
            System.exit(2);
        }
        InetSocketAddress to = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        long pps = Long.parseLong(args[2]);
        long nanos = (long) (Double.parseDouble(args[3]) * 1e9);
        ByteBuffer payload = ByteBuffer.wrap("ovs-anp audit flood".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, 18);
        long sent = 0;
        long ok = 0;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(to);
            long start = System.nanoTime();
            long now = start;
            while (now - start < nanos) {
                long due = pps == 0 ? sent + 64 : (now - start) * pps / 1_000_000_000L;
                while (sent < due) {
                    payload.rewind();
                    try {
                        ch.write(payload);
                        ok++;
                    } catch (java.io.IOException e) {
                        // ENOBUFS/EPERM under load: the packet is not sent, try the next
                    }
                    sent++;
                }
                if (pps != 0) Thread.onSpinWait();
                now = System.nanoTime();
            }
        }
        System.out.println(ok);
    }
}
