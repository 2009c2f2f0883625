package io.ovsanp.compiler.dns;

import io.ovsanp.compiler.net.IpAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What each pod has resolved, by the pod's address: the answers a switch saw going to that address
 * (docs/semantics.md, "Subjects and peers": a {@code domainNames} peer of a rule matches, for a
 * subject pod, the addresses the names it covers resolved to <em>for that pod</em>). A pod with
 * several addresses has what it learned at any of them. {@link #everyPod} gives one state to every pod
 * ({@code explain --resolved}). Immutable; equal states compare equal, so a compile's memo can tell
 * whether a node's learned addresses changed.
 */
public final class ResolverStates {
    public static final ResolverStates NONE = new ResolverStates(Map.of(), ResolverState.EMPTY);

    private final Map<IpAddress, ResolverState> byAddress;
    /** What every pod has resolved besides its own answers. */
    private final ResolverState everyPod;

    private ResolverStates(Map<IpAddress, ResolverState> byAddress, ResolverState everyPod) {
        this.byAddress = byAddress;
        this.everyPod = everyPod;
    }

    /** The same state for every pod. */
    public static ResolverStates everyPod(ResolverState state) {
        return state.isEmpty() ? NONE : new ResolverStates(Map.of(), state);
    }

    /** Per pod address what the pod resolved (empty states are left out). */
    public static ResolverStates of(Map<IpAddress, ResolverState> byAddress) {
        Map<IpAddress, ResolverState> m = new TreeMap<>();
        byAddress.forEach((ip, s) -> {
            if (!s.isEmpty()) m.put(ip, s);
        });
        return m.isEmpty() ? NONE : new ResolverStates(Collections.unmodifiableMap(m), ResolverState.EMPTY);
    }

    /** What the pod with these addresses has resolved (the union over its addresses). */
    public ResolverState forPod(Collection<IpAddress> podAddresses) {
        ResolverState out = everyPod;
        for (IpAddress ip : podAddresses) {
            ResolverState s = byAddress.get(ip);
            if (s != null) out = out.union(s);
        }
        return out;
    }

    public boolean isEmpty() {
        return byAddress.isEmpty() && everyPod.isEmpty();
    }

    /** Pod address → what it resolved (without the every-pod part). */
    public Map<IpAddress, ResolverState> byAddress() {
        return byAddress;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolverStates r && r.byAddress.equals(byAddress) && r.everyPod.equals(everyPod);
    }

    @Override
    public int hashCode() {
        return Objects.hash(byAddress, everyPod);
    }

    @Override
    public String toString() {
        return "ResolverStates" + byAddress + (everyPod.isEmpty() ? "" : " every pod " + everyPod);
    }
}
