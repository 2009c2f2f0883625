package io.ovsanp.controller.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovsanp.compiler.net.IpAddress;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
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

/** DNS responses as dnsjava writes them, read back into the chain and the addresses with their TTLs. */
class DnsAnswerTest {
    static Name name(String n) {
        try {
            return Name.fromString(n.endsWith(".") ? n : n + ".");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static Message response(int id, String question, int type) {
        Message m = new Message(id);
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(Record.newRecord(name(question), type, DClass.IN), Section.QUESTION);
        return m;
    }

    static void a(Message m, String owner, String ip, long ttl) throws Exception {
        m.addRecord(new ARecord(name(owner), DClass.IN, ttl, InetAddress.getByName(ip)), Section.ANSWER);
    }

    static void aaaa(Message m, String owner, String ip, long ttl) throws Exception {
        m.addRecord(new AAAARecord(name(owner), DClass.IN, ttl, InetAddress.getByName(ip)), Section.ANSWER);
    }

    static void cname(Message m, String owner, String target, long ttl) {
        m.addRecord(new CNAMERecord(name(owner), DClass.IN, ttl, name(target)), Section.ANSWER);
    }

    @Test
    void aCnameChainEndsAtItsAddressesWithTheSmallestTtlAlongIt() throws Exception {
        Message m = response(4711, "WWW.internet.example", Type.A);
        cname(m, "www.internet.example", "internet.example", 30);
        a(m, "internet.example", "203.0.113.10", 300);
        a(m, "other.example", "198.51.100.1", 300); // not on the chain
        DnsAnswer d = DnsAnswer.parse(m.toWire()).orElseThrow();
        assertThat(d.id()).isEqualTo(4711);
        assertThat(d.question()).isEqualTo("www.internet.example");
        assertThat(d.chain()).containsExactly("www.internet.example", "internet.example");
        assertThat(d.addresses()).containsExactly(new DnsAnswer.Address(IpAddress.parse("203.0.113.10"), 30));
    }

    @Test
    void ipv6AnswersAreRead() throws Exception {
        Message m = response(1, "internet.example", Type.AAAA);
        aaaa(m, "internet.example", "2001:db8:113::10", 120);
        assertThat(DnsAnswer.parse(m.toWire()).orElseThrow().addresses())
                .containsExactly(new DnsAnswer.Address(IpAddress.parse("2001:db8:113::10"), 120));
    }

    @Test
    void queriesErrorsOtherTypesAndGarbageAreNotAnswers() throws Exception {
        Message query = new Message(2);
        query.addRecord(Record.newRecord(name("internet.example"), Type.A, DClass.IN), Section.QUESTION);
        assertThat(DnsAnswer.parse(query.toWire())).as("a query").isEmpty();

        Message nx = response(3, "nope.example", Type.A);
        nx.getHeader().setRcode(Rcode.NXDOMAIN);
        assertThat(DnsAnswer.parse(nx.toWire())).as("NXDOMAIN").isEmpty();

        Message mx = response(4, "internet.example", Type.MX);
        assertThat(DnsAnswer.parse(mx.toWire())).as("not A or AAAA").isEmpty();

        assertThat(DnsAnswer.parse(new byte[] {1, 2, 3})).as("not DNS").isEmpty();
    }

    @Test
    void aCnameLoopEndsTheChainWithoutAddresses() throws Exception {
        Message m = response(5, "a.loop.example", Type.A);
        cname(m, "a.loop.example", "b.loop.example", 60);
        cname(m, "b.loop.example", "a.loop.example", 60);
        DnsAnswer d = DnsAnswer.parse(m.toWire()).orElseThrow();
        assertThat(d.chain()).containsExactly("a.loop.example", "b.loop.example");
        assertThat(d.addresses()).isEmpty();
    }
}
