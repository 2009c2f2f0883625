package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import java.util.Arrays;

/** Not a test: prints the median time of {@code Compiler.compile} on the BigCluster workload. */
public final class CompileBench {
    private CompileBench() {}

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ClusterSnapshot snap = io.ovsanp.compiler.testing.BigCluster.of(2200, 0.01, 0);
        int flows = 0;
        for (int i = 0; i < 5; i++)
            flows = Compiler.compile(snap, "n0", Allocation.EMPTY).flows().size();
        long[] ms = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Compiler.compile(snap, "n0", Allocation.EMPTY);
            ms[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(ms);
        System.out.println("flows=" + flows + " median_ms=" + ms[runs / 2] + " min_ms=" + ms[0]);
    }
}
