package io.ovsanp.it.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class OvsSupportTest {
    private static final List<String> MISSING = List.of("not on PATH: ovs-vswitchd");

    @Test
    void missingOvsSkipsOutsideCi() {
        assertThatThrownBy(() -> OvsSupport.decide(MISSING, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("not on PATH: ovs-vswitchd");
    }

    @Test
    void missingOvsFailsOnCi() {
        assertThatThrownBy(() -> OvsSupport.decide(MISSING, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true")
                .hasMessageContaining("not on PATH: ovs-vswitchd");
    }

    @Test
    void nothingMissingNeitherSkipsNorFails() {
        assertThatCode(() -> OvsSupport.decide(List.of(), true)).doesNotThrowAnyException();
    }

    @Test
    void programIsFoundOnlyInPathDirectories() {
        assertThat(OvsSupport.onPath("sh", Map.of("PATH", "/nonexistent:/bin:/usr/bin")))
                .isTrue();
        assertThat(OvsSupport.onPath("sh", Map.of("PATH", "/nonexistent"))).isFalse();
        assertThat(OvsSupport.onPath("sh", Map.of())).isFalse();
    }
}
