package io.ovsanp.controller.run;

import io.ovsanp.compiler.cluster.ClusterChange;
import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.compile.Allocation;
import io.ovsanp.compiler.compile.Compilation;
import io.ovsanp.compiler.compile.CompileOptions;
import io.ovsanp.compiler.compile.CompileSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test: what ingress costs a node. The benchmarks' workload ({@link BenchWorkload}) egress-only
 * (the baseline) and with ingress rules, same nodes, pods and egress rules; for every node whose pods
 * some ANP selects, the flow count of both, and the compile time of both, measured alternately
 * (egress-only, then with ingress, round after round) so machine noise hits both alike. Prints the
 * ratios (with ingress / egress-only) of the flow totals and of the median per-node times.
 *
 * <p>Arguments: nodes (200), pods per node (20), ANPs (200), rounds (7).
 */
public final class IngressCompileBench {
    private IngressCompileBench() {}

    public static void main(String[] args) {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int podsPerNode = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int anps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Compilation egress = new CompileSession()
                .advance(BenchWorkload.cluster(nodes, podsPerNode, anps, 0, 0, false), ClusterChange.EVERYTHING);
        Compilation both = new CompileSession()
                .advance(BenchWorkload.cluster(nodes, podsPerNode, anps, 0, 0, true), ClusterChange.EVERYTHING);
        ClusterSnapshot s = egress.snapshot();
        List<String> measured = new ArrayList<>();
        long flowsEgress = 0;
        long flowsBoth = 0;
        for (String node : s.nodeNames()) {
            int e = egress.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT)
                    .flows()
                    .size();
            int b = both.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT)
                    .flows()
                    .size();
            flowsEgress += e;
            flowsBoth += b;
            if (measured.size() < 40 && e > 100) measured.add(node);
        }
        System.out.printf(
                "workload: %d nodes, %d pods per node, %d ANPs; flows of all nodes: egress-only %d, with ingress %d"
                        + " (%.2f x)%n",
                nodes, podsPerNode, anps, flowsEgress, flowsBoth, (double) flowsBoth / flowsEgress);
        long[] te = new long[rounds * measured.size()];
        long[] tb = new long[rounds * measured.size()];
        int k = 0;
        for (int warm = 0; warm < 2; warm++) {
            for (String node : measured) {
                egress.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT);
                both.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT);
            }
        }
        for (int r = 0; r < rounds; r++) {
            for (String node : measured) {
                long t0 = System.nanoTime();
                egress.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT);
                long t1 = System.nanoTime();
                both.compile(node, Allocation.EMPTY, CompileOptions.DEFAULT);
                long t2 = System.nanoTime();
                te[k] = t1 - t0;
                tb[k] = t2 - t1;
                k++;
            }
        }
        Arrays.sort(te);
        Arrays.sort(tb);
        double me = te[te.length / 2] / 1e6;
        double mb = tb[tb.length / 2] / 1e6;
        System.out.printf(
                "compile of one node (%d nodes with ANP subjects x %d rounds, from scratch): median egress-only"
                        + " %.2f ms, with ingress %.2f ms (%.2f x); p90 %.2f / %.2f ms%n",
                measured.size(), rounds, me, mb, mb / me, te[te.length * 9 / 10] / 1e6, tb[tb.length * 9 / 10] / 1e6);
    }
}
