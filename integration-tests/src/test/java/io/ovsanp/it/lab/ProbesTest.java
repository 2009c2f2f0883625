package io.ovsanp.it.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The DNS query a UDP probe of port 53 sends, and what counts as its reply. */
class ProbesTest {
    @Test
    void theQueryIsADnsQuestionForTheName() {
        assertThat(HexFormat.of().formatHex(Probes.dnsQuery(0x6c61, "internet.example")))
                .isEqualTo("6c61" + "0100" + "0001" + "0000" + "0000" + "0000" // header: RD, one question
                        + "08" + HexFormat.of().formatHex("internet".getBytes())
                        + "07" + HexFormat.of().formatHex("example".getBytes()) + "00"
                        + "0001" + "0001"); // A, IN
        assertThat(Probes.printfEscaped(new byte[] {0, 8, 'a', (byte) 0xff})).isEqualTo("\\000\\010\\141\\377");
    }

    @Test
    void aReplyCarriesTheQueryIdAndTheQrBitWhateverItsAnswer() {
        String query = HexFormat.of().formatHex(Probes.dnsQuery(0x6c61, "internet.example"));
        assertThat(Probes.isDnsReply("6c61" + "8580" + query.substring(8))).isTrue(); // NOERROR
        assertThat(Probes.isDnsReply("6c61" + "8183" + query.substring(8))).isTrue(); // NXDOMAIN
        assertThat(Probes.isDnsReply(query)).as("the query echoed: no QR bit").isFalse();
        assertThat(Probes.isDnsReply("1234" + "8580" + query.substring(8)))
                .as("another ID")
                .isFalse();
        assertThat(Probes.isDnsReply("6c618580")).as("shorter than a header").isFalse();
        assertThat(Probes.isDnsReply("")).isFalse();
    }
}
