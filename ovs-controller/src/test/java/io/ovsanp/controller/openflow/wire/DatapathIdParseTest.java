package io.ovsanp.controller.openflow.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.StringJoiner;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

class DatapathIdParseTest {

    @Property
    void everyFormPeopleWriteReadsBackTheSameId(@ForAll long value, @ForAll boolean upper) {
        DatapathId id = new DatapathId(value);
        String hex = id.toString();
        String cased = upper ? hex.toUpperCase(Locale.ROOT) : hex;
        StringJoiner colons = new StringJoiner(":");
        for (int i = 0; i < 16; i += 2) {
            colons.add(cased.substring(i, i + 2));
        }
        for (String form : new String[] {
            cased,
            "0x" + cased,
            "0X" + cased,
            "dpid:" + cased,
            "\"" + cased + "\"",
            " " + cased + "\n",
            colons.toString()
        }) {
            assertThat(DatapathId.parse(form)).as(form).isEqualTo(id);
        }
    }

    @Property
    void fewerOrMoreThanSixteenDigitsAreRefused(
            @ForAll @StringLength(min = 1, max = 24) @Chars({'0', '1', '9', 'a', 'F'}) String digits) {
        if (digits.length() == 16) {
            assertThat(DatapathId.parse(digits).toString()).isEqualToIgnoringCase(digits);
        } else {
            assertThatThrownBy(() -> DatapathId.parse(digits)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Example
    void theOvsOfctlShowFormIsCanonical() {
        assertThat(DatapathId.parse("0x0000000000000A01")).isEqualTo(new DatapathId(0xa01));
        assertThat(DatapathId.parse("00:00:00:00:00:00:0A:01")).isEqualTo(new DatapathId(0xa01));
        assertThat(DatapathId.parse("ffffffffffffffff")).isEqualTo(new DatapathId(-1L));
    }

    @Example
    void malformedTextIsRefusedNamingTheTextAndTheForms() {
        for (String bad : new String[] {
            "",
            "a01",
            "0xa01",
            "000000000000000g",
            "00:00:00:00:00:00:0a",
            "00-00-00-00-00-00-0a-01",
            "0000:0000:0000:0a01",
            "00:00:00:00:00:00:0a:01:",
            "+000000000000a01",
            "0x-000000000000a01"
        }) {
            assertThatThrownBy(() -> DatapathId.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a datapath id: \"" + bad + "\"")
                    .hasMessageContaining("16 hex digits");
        }
    }
}
