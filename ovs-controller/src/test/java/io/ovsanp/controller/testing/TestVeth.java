package io.ovsanp.controller.testing;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A veth pair from the root network namespace into a {@link TestOvs} namespace, with a random
 * link-local /30 on it: how a JVM socket (always in the root namespace) and ovs-vswitchd (in its
 * own) reach each other over TCP. {@link #outside()} is ours, {@link #inside()} the switch's.
 * Deleting the root end by name removes both ends.
 */
public final class TestVeth implements AutoCloseable {
    private final String name;
    private final String outside;
    private final String inside;

    private TestVeth(String name, String outside, String inside) {
        this.name = name;
        this.outside = outside;
        this.inside = inside;
    }

    public static TestVeth into(TestOvs ovs) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String id = Integer.toHexString(r.nextInt(0x100000, 0xffffff));
        String name = "ova" + id;
        String peer = "ovb" + id;
        // 169.254.R.4k/30: random, so concurrent tests (other worktrees too) do not collide.
        String net = "169.254." + r.nextInt(1, 255) + ".";
        int base = 4 * r.nextInt(0, 64);
        String outside = net + (base + 1);
        String inside = net + (base + 2);
        Commands.run(
                List.of("ip", "link", "add", name, "type", "veth", "peer", "name", peer, "netns", ovs.netns()), true);
        TestVeth veth = new TestVeth(name, outside, inside);
        try {
            Commands.run(List.of("ip", "addr", "add", outside + "/30", "dev", name), true);
            Commands.run(List.of("ip", "link", "set", name, "up"), true);
            Commands.run(List.of("ip", "-n", ovs.netns(), "addr", "add", inside + "/30", "dev", peer), true);
            Commands.run(List.of("ip", "-n", ovs.netns(), "link", "set", peer, "up"), true);
            return veth;
        } catch (RuntimeException e) {
            veth.close();
            throw e;
        }
    }

    /** Our address, in the root namespace. */
    public String outside() {
        return outside;
    }

    /** The switch's address, in its namespace. */
    public String inside() {
        return inside;
    }

    @Override
    public void close() {
        Commands.run(List.of("ip", "link", "del", name), false);
    }
}
