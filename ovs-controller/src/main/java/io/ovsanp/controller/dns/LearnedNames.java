package io.ovsanp.controller.dns;

import io.ovsanp.compiler.dns.DomainPattern;
import io.ovsanp.compiler.dns.ResolverState;
import io.ovsanp.compiler.net.IpAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What each pod learned from the DNS answers it received, for the {@code domainNames} patterns of the
 * rules that apply to it (docs/decisions.md, "domainNames: learned per pod from the answers the switch holds"). An
 * answer teaches its addresses under every name of its chain (the question and its CNAME targets) that
 * some pattern covers; nothing else is kept. Each address expires with its TTL, raised to {@code
 * minTtl} (a short TTL must not make a connection's first packets race the expiry); a name keeps at
 * most {@code maxPerName} addresses per pod, the ones that expire last. Not thread-safe: one owner
 * (the controller's loop) calls it, with the time it reads.
 */
public final class LearnedNames {
    private final Duration minTtl;
    private final int maxPerName;
    /** pod IP → name → address → expiry (nanoTime). */
    private final Map<IpAddress, Map<String, Map<IpAddress, Long>>> byPod = new HashMap<>();

    public LearnedNames(Duration minTtl, int maxPerName) {
        if (minTtl.isNegative()) throw new IllegalArgumentException("minTtl is negative");
        if (maxPerName < 1) throw new IllegalArgumentException("maxPerName must be at least 1");
        this.minTtl = Objects.requireNonNull(minTtl);
        this.maxPerName = maxPerName;
    }

    /**
     * What one answer taught a pod: the covered names it gave addresses for (empty: nothing a pattern
     * covers, or no address), and whether the pod now has a live address it did not have (not only a
     * later expiry): only then must its flows change.
     */
    public record Learned(List<String> names, boolean newAddress) {}

    /** Learns {@code answer}, received by {@code pod} at {@code nowNanos}, for {@code patterns}. */
    public Learned learn(IpAddress pod, DnsAnswer answer, List<DomainPattern> patterns, long nowNanos) {
        List<String> learned = new ArrayList<>();
        boolean newAddress = false;
        if (answer.addresses().isEmpty()) return new Learned(learned, false);
        for (String name : answer.chain()) {
            if (patterns.stream().noneMatch(p -> p.matches(name))) continue;
            Map<IpAddress, Long> addresses =
                    byPod.computeIfAbsent(pod, k -> new HashMap<>()).computeIfAbsent(name, k -> new HashMap<>());
            Set<IpAddress> fresh = new HashSet<>();
            for (DnsAnswer.Address a : answer.addresses()) {
                long ttlNanos = Math.max(
                        minTtl.toNanos(), Duration.ofSeconds(a.ttlSeconds()).toNanos());
                Long before = addresses.get(a.ip());
                if (before == null || before - nowNanos <= 0) fresh.add(a.ip());
                addresses.merge(a.ip(), nowNanos + ttlNanos, Math::max);
            }
            while (addresses.size() > maxPerName) {
                IpAddress soonest = addresses.entrySet().stream()
                        .min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                        .orElseThrow()
                        .getKey();
                addresses.remove(soonest);
            }
            newAddress |= fresh.stream().anyMatch(addresses::containsKey);
            learned.add(name);
        }
        return new Learned(learned, newAddress);
    }

    /** Forgets what expired by {@code nowNanos}; returns the pods that forgot something. */
    public Set<IpAddress> expire(long nowNanos) {
        Set<IpAddress> changed = new HashSet<>();
        for (Map.Entry<IpAddress, Map<String, Map<IpAddress, Long>>> pod : byPod.entrySet()) {
            for (Map<IpAddress, Long> addresses : pod.getValue().values()) {
                if (addresses.values().removeIf(expiry -> expiry - nowNanos <= 0)) changed.add(pod.getKey());
            }
            pod.getValue().values().removeIf(Map::isEmpty);
        }
        byPod.values().removeIf(Map::isEmpty);
        return changed;
    }

    /** The earliest expiry of anything learned (nanoTime), or empty when nothing is. */
    public java.util.OptionalLong nextExpiry() {
        boolean any = false;
        long first = 0;
        for (Map<String, Map<IpAddress, Long>> names : byPod.values()) {
            for (Map<IpAddress, Long> addresses : names.values()) {
                for (long expiry : addresses.values()) {
                    if (!any || expiry - first < 0) first = expiry;
                    any = true;
                }
            }
        }
        return any ? java.util.OptionalLong.of(first) : java.util.OptionalLong.empty();
    }

    /** The pods that learned something. */
    public Set<IpAddress> pods() {
        return Set.copyOf(byPod.keySet());
    }

    /** How many (pod, name) pairs and (pod, name, address) triples are learned. */
    public long[] counts() {
        long names = 0;
        long addresses = 0;
        for (Map<String, Map<IpAddress, Long>> n : byPod.values()) {
            names += n.size();
            for (Map<IpAddress, Long> a : n.values()) addresses += a.size();
        }
        return new long[] {names, addresses};
    }

    /** What {@code pod} has learned and not yet expired at {@code nowNanos}, as the evaluator reads it. */
    public ResolverState stateFor(IpAddress pod, long nowNanos) {
        ResolverState state = ResolverState.EMPTY;
        for (Map.Entry<String, Map<IpAddress, Long>> e :
                byPod.getOrDefault(pod, Map.of()).entrySet()) {
            List<IpAddress> live = e.getValue().entrySet().stream()
                    .filter(a -> a.getValue() - nowNanos > 0)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            if (!live.isEmpty()) state = state.with(e.getKey(), live);
        }
        return state;
    }

    /** A pod that left: forget what it learned. */
    public void forget(IpAddress pod) {
        byPod.remove(pod);
    }
}
