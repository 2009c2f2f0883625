package io.ovsanp.controller.dns;

import io.ovsanp.compiler.dns.DomainPattern;
import io.ovsanp.compiler.net.IpAddress;
import io.ovsanp.compiler.net.IpFamily;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One DNS response as {@code domainNames} learning needs it (docs/decisions.md, "domainNames: learned
 * per pod from the answers the switch holds"), read with dnsjava: the query's ID and name, the chain of names
 * from the question through its CNAMEs, and the IPv4 and IPv6 addresses the chain ends at, each with
 * the TTL it may be trusted for (the smallest TTL along the chain: a CNAME that expires takes its
 * target's addresses with it). Only a well-formed answer counts: a response (QR set), NOERROR, one
 * question of class IN and type A or AAAA.
 */
public record DnsAnswer(int id, String question, List<String> chain, List<Address> addresses) {
    /** CNAME hops followed at most (resolvers stop near here too; a loop ends the chain). */
    static final int MAX_CHAIN = 16;

    /** An address the chain ends at, trusted for {@code ttlSeconds}. */
    public record Address(IpAddress ip, long ttlSeconds) {}

    public DnsAnswer {
        chain = List.copyOf(chain);
        addresses = List.copyOf(addresses);
    }

    /** The answer in {@code wire} (a DNS message, UDP payload or one TCP message without its length). */
    public static Optional<DnsAnswer> parse(byte[] wire) {
        Message m;
        try {
            m = new Message(wire);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (!m.getHeader().getFlag(Flags.QR) || m.getRcode() != Rcode.NOERROR) {
            return Optional.empty();
        }
        List<Record> questions = m.getSection(Section.QUESTION);
        if (questions.size() != 1) {
            return Optional.empty();
        }
        Record q = questions.get(0);
        if (q.getDClass() != DClass.IN || (q.getType() != Type.A && q.getType() != Type.AAAA)) {
            return Optional.empty();
        }
        List<Record> answers = m.getSection(Section.ANSWER);
        List<String> chain = new ArrayList<>();
        Set<Name> seen = new LinkedHashSet<>();
        Name at = q.getName();
        long ttl = Long.MAX_VALUE;
        while (seen.add(at) && seen.size() <= MAX_CHAIN) {
            chain.add(DomainPattern.normalise(at.toString()));
            Optional<CNAMERecord> cname = cname(answers, at);
            if (cname.isEmpty()) break;
            ttl = Math.min(ttl, cname.get().getTTL());
            at = cname.get().getTarget();
        }
        List<Address> addresses = new ArrayList<>();
        for (Record r : answers) {
            if (r.getDClass() != DClass.IN || !r.getName().equals(at)) continue;
            if (r instanceof ARecord a) {
                addresses.add(new Address(ip(a.getAddress().getAddress()), Math.min(ttl, a.getTTL())));
            } else if (r instanceof AAAARecord a) {
                addresses.add(new Address(ip(a.getAddress().getAddress()), Math.min(ttl, a.getTTL())));
            }
        }
        return Optional.of(new DnsAnswer(m.getHeader().getID(), chain.get(0), chain, addresses));
    }

    /** The address in network byte order (4 or 16 bytes), without a round trip through text. */
    static IpAddress ip(byte[] bytes) {
        return IpAddress.fromBigInteger(
                bytes.length == 4 ? IpFamily.V4 : IpFamily.V6, new java.math.BigInteger(1, bytes));
    }

    private static Optional<CNAMERecord> cname(List<Record> answers, Name owner) {
        for (Record r : answers) {
            if (r instanceof CNAMERecord c
                    && c.getDClass() == DClass.IN
                    && c.getName().equals(owner)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
