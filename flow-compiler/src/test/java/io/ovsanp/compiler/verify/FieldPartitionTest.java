package io.ovsanp.compiler.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovsanp.compiler.flow.Field;
import io.ovsanp.compiler.flow.FieldMatch;
import io.ovsanp.compiler.net.Cidr;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldPartitionTest {
    private static List<Integer> starts(FieldPartition p) {
        return p.representatives().stream().map(BigInteger::intValueExact).toList();
    }

    @Test
    void aPrefixMaskedPortIsOneCellBetweenItsNeighbours() {
        FieldPartition p = new FieldPartition(16);
        p.addMatch(FieldMatch.masked(Field.TP_DST, 8080, 0xfff0)); // 8080..8095
        p.addPoint(BigInteger.valueOf(80));
        assertThat(starts(p)).containsExactly(0, 80, 81, 8080, 8096);
    }

    @Test
    void aNonPrefixPortMaskCutsAtEveryBlockItIsMadeOf() {
        FieldPartition p = new FieldPartition(16);
        // x & 0x7ffe == 2: {2, 3} and {0x8002, 0x8003}
        p.addMatch(FieldMatch.masked(Field.TP_DST, 2, 0x7ffe));
        assertThat(starts(p)).containsExactly(0, 2, 4, 0x8002, 0x8004);
    }

    @Test
    void aNonPrefixAddressMaskIsRefusedAndACidrIsOneInterval() {
        FieldPartition p = new FieldPartition(32);
        p.addCidr(Cidr.parse("10.0.0.0/8").cidr());
        assertThat(p.representatives())
                .containsExactly(BigInteger.ZERO, BigInteger.valueOf(10L << 24), BigInteger.valueOf(11L << 24));
        assertThatThrownBy(() -> p.addMatch(FieldMatch.masked(Field.IPV4_DST, 0x0a000001L, 0xff0000ffL)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-prefix mask on nw_dst");
    }
}
