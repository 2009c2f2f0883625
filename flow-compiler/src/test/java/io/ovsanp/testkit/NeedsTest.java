package io.ovsanp.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class NeedsTest {
    private static final List<String> MISSING = List.of("not on PATH: ovs-vswitchd");

    @Test
    void missingOvsSkipsOutsideCi() {
        assertThatThrownBy(() -> Needs.decide(MISSING, "apt-get install it", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("not on PATH: ovs-vswitchd")
                .hasMessageContaining("apt-get install it");
    }

    @Test
    void missingOvsFailsOnCi() {
        assertThatThrownBy(() -> Needs.decide(MISSING, "apt-get install it", true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true")
                .hasMessageContaining("not on PATH: ovs-vswitchd");
    }

    @Test
    void nothingMissingNeitherSkipsNorFails() {
        assertThatCode(() -> Needs.decide(List.of(), "apt-get install it", true))
                .doesNotThrowAnyException();
    }

    @Test
    void programIsFoundOnlyInPathDirectories() {
        assertThat(Needs.onPath("sh", Map.of("PATH", "/nonexistent:/bin:/usr/bin")))
                .isTrue();
        assertThat(Needs.onPath("sh", Map.of("PATH", "/nonexistent"))).isFalse();
        assertThat(Needs.onPath("sh", Map.of())).isFalse();
    }
}
