package io.ovsanp.compiler.compile;

import io.ovsanp.compiler.cluster.ClusterSnapshot;
import io.ovsanp.compiler.cluster.Selection;
import io.ovsanp.compiler.dns.ResolverStates;
import io.ovsanp.compiler.policy.EffectivePolicies;
import io.ovsanp.compiler.policy.PolicyValidator;
import java.util.List;

/**
 * One snapshot, validated and indexed, ready to compile any of its nodes: what all of a snapshot's
 * node compiles share. Immutable from the outside and safe to use from several threads (nodes compile
 * in parallel). Made by a {@link CompileSession} (sharing work with the previous snapshot's) or by
 * {@link #of} for a one-off.
 */
public final class Compilation {
    private final SnapshotIndex index;
    private final EffectivePolicies policies;

    Compilation(SnapshotIndex index, EffectivePolicies policies) {
        this.index = index;
        this.policies = policies;
    }

    /** A snapshot on its own: validated and indexed from scratch. */
    public static Compilation of(ClusterSnapshot snapshot) {
        return new Compilation(SnapshotIndex.of(snapshot), PolicyValidator.validate(snapshot));
    }

    public ClusterSnapshot snapshot() {
        return index.snapshot();
    }

    public EffectivePolicies policies() {
        return policies;
    }

    /** The snapshot's selector evaluation (namespace labels computed once, shared with the compiles). */
    public Selection selection() {
        return index.selection();
    }

    /** The node names of the snapshot, sorted ({@link ClusterSnapshot#nodeNames()}, kept incrementally). */
    public List<String> nodeNames() {
        return index.nodeNames();
    }

    /**
     * The pipeline of {@code node}, reusing through {@code memo} (the node's, from its previous compile)
     * the flows of rules whose inputs did not change; the same result as a compile from scratch.
     */
    public CompileResult compile(String node, Allocation previous, CompileOptions options, CompileMemo memo) {
        return compile(node, previous, options, memo, ResolverStates.NONE);
    }

    /**
     * As above, with what the node's pods learned from DNS answers: the addresses the {@code
     * domainNames} peers of their egress rules match (docs/architecture.md, "Names learned from DNS").
     */
    public CompileResult compile(
            String node, Allocation previous, CompileOptions options, CompileMemo memo, ResolverStates learned) {
        return Compiler.compile(index, policies, node, previous, options, memo, learned);
    }

    /** As above without a memo: every rule compiled afresh (the index still shared). */
    public CompileResult compile(String node, Allocation previous, CompileOptions options) {
        return compile(node, previous, options, new CompileMemo());
    }

    SnapshotIndex index() {
        return index;
    }
}
