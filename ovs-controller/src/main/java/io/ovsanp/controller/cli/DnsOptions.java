package io.ovsanp.controller.cli;

import io.ovsanp.controller.dns.DnsLearning;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How {@code run} and continuous {@code sync} learn from the DNS answers held for {@code domainNames}
 * rules (docs/architecture.md, "Names learned from DNS"). A picocli mixin.
 */
final class DnsOptions {
    @Option(
            names = "--dns-min-ttl",
            defaultValue = "60s",
            paramLabel = "DURATION",
            description = "Keep an address learned from a DNS answer at least this long, whatever its TTL"
                    + " (default ${DEFAULT-VALUE}); longer TTLs are kept as they are.")
    String minTtl = "60s";

    @Option(
            names = "--dns-max-addresses",
            defaultValue = "64",
            paramLabel = "N",
            description = "Addresses kept per pod and name, those that expire last (default ${DEFAULT-VALUE}).")
    int maxAddresses = 64;

    DnsLearning.Settings settings() throws BadInput {
        Duration ttl = Durations.parse("--dns-min-ttl", minTtl);
        if (maxAddresses < 1 || maxAddresses > 4096) {
            throw new BadInput("--dns-max-addresses must be 1..4096, not " + maxAddresses);
        }
        return new DnsLearning.Settings(ttl, maxAddresses, DnsLearning.Settings.DEFAULT.maxHeld());
    }
}
