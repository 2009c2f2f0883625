package io.ovsanp.compiler.dns;

import io.ovsanp.compiler.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What names resolve to, as far as {@code domainNames} peers are concerned: each name (normalised, see
 * {@link DomainPattern#normalise}) with the addresses its answers gave. The evaluator matches a {@code
 * domainNames} peer against it (an address is covered when a name the peer's patterns match resolved
 * to it); with no state, a {@code domainNames} peer matches nothing, which is what a switch that has
 * learned nothing does. Immutable.
 */
public final class ResolverState {
    public static final ResolverState EMPTY = new ResolverState(Map.of());

    private final Map<String, Set<IpAddress>> addresses;

    private ResolverState(Map<String, Set<IpAddress>> addresses) {
        this.addresses = addresses;
    }

    /** {@code name} also resolves to {@code ips}. */
    public ResolverState with(String name, List<IpAddress> ips) {
        Map<String, Set<IpAddress>> next = new TreeMap<>(addresses);
        Set<IpAddress> all = new LinkedHashSet<>(next.getOrDefault(DomainPattern.normalise(name), Set.of()));
        all.addAll(ips);
        next.put(DomainPattern.normalise(name), Collections.unmodifiableSet(all));
        return new ResolverState(Collections.unmodifiableMap(next));
    }

    /** What this state and {@code other} resolved together (one copy, not one per name). */
    public ResolverState union(ResolverState other) {
        if (other.isEmpty()) return this;
        if (isEmpty()) return other;
        Map<String, Set<IpAddress>> next = new TreeMap<>(addresses);
        other.addresses.forEach((name, ips) -> next.merge(name, ips, (a, b) -> {
            Set<IpAddress> all = new LinkedHashSet<>(a);
            all.addAll(b);
            return Collections.unmodifiableSet(all);
        }));
        return new ResolverState(Collections.unmodifiableMap(next));
    }

    /**
     * {@code NAME=IP[,IP...]} as {@code explain --resolved} takes it; empty with the reason when it is
     * not one (a name that is not a domain name, a wildcard, no address, or one that does not parse).
     */
    public static Optional<ResolverState> parseEntry(ResolverState into, String entry, List<String> problems) {
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            problems.add("expected NAME=IP[,IP...], not \"" + entry + "\"");
            return Optional.empty();
        }
        String name = entry.substring(0, eq);
        DomainPattern.Parsed parsed = DomainPattern.parse(name);
        if (parsed.pattern().isEmpty() || parsed.pattern().get().wildcard()) {
            problems.add(
                    parsed.pattern().isEmpty()
                            ? parsed.problem()
                            : "\"" + name + "\": an answer names one host, not a wildcard");
            return Optional.empty();
        }
        List<IpAddress> ips = new ArrayList<>();
        for (String text : entry.substring(eq + 1).split(",", -1)) {
            Optional<IpAddress> ip = IpAddress.tryParse(text.strip());
            if (ip.isEmpty()) {
                problems.add("\"" + text + "\" in \"" + entry + "\" is not an IPv4 or IPv6 address");
                return Optional.empty();
            }
            ips.add(ip.get());
        }
        return Optional.of(into.with(name, ips));
    }

    /** Whether a name some pattern of {@code patterns} covers resolved to {@code ip}. */
    public boolean covers(List<DomainPattern> patterns, IpAddress ip) {
        return !namesFor(patterns, ip).isEmpty();
    }

    /** The names that resolved to {@code ip} and some pattern covers, in order (for explanations). */
    public List<String> namesFor(List<DomainPattern> patterns, IpAddress ip) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Set<IpAddress>> e : addresses.entrySet()) {
            if (e.getValue().contains(ip) && patterns.stream().anyMatch(p -> p.matches(e.getKey()))) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    /** name → addresses, names in order. */
    public Map<String, Set<IpAddress>> addresses() {
        return addresses;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolverState r && r.addresses.equals(addresses);
    }

    @Override
    public int hashCode() {
        return addresses.hashCode();
    }

    @Override
    public String toString() {
        return "ResolverState" + addresses;
    }
}
