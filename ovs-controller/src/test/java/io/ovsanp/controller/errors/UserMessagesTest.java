package io.ovsanp.controller.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class UserMessagesTest {
    @Test
    void fileErrorsReadAsTheShellSaysThem() {
        assertThat(UserMessages.ioReason(new NoSuchFileException("/x"))).isEqualTo("no such file or directory");
        assertThat(UserMessages.ioReason(new AccessDeniedException("/x"))).isEqualTo("permission denied");
        assertThat(UserMessages.ioReason(new IOException("Is a directory"))).isEqualTo("is a directory");
        assertThat(UserMessages.ioReason(new IOException(new IllegalStateException())))
                .isEqualTo("input/output error");
    }

    @Test
    void classNamesAndCodeReferencesInsideLibraryMessagesAreDropped() {
        assertThat(UserMessages.withoutJavaNames("PKIX path building failed:"
                        + " sun.security.provider.certpath.SunCertPathBuilderException: unable to find a path"))
                .isEqualTo("PKIX path building failed: unable to find a path");
        assertThat(UserMessages.withoutJavaNames("Document nesting depth (501) exceeds the maximum allowed (500,"
                        + " from `StreamReadConstraints.getMaxNestingDepth()`)"))
                .isEqualTo("Document nesting depth (501) exceeds the maximum allowed (500)");
        assertThat(UserMessages.withoutJavaNames("dir/policy.yaml (document 0): AdminNetworkPolicy/x: fine"))
                .isEqualTo("dir/policy.yaml (document 0): AdminNetworkPolicy/x: fine");
    }

    @Test
    void theTextOfAnExceptionIsItsFirstMessageThatNamesNoClass() {
        Exception wrapped =
                new RuntimeException("java.io.IOException: boom", new IOException("Connection reset by peer\n\tmore"));

        assertThat(UserMessages.userText(wrapped)).contains("boom");
        assertThat(UserMessages.userText(new RuntimeException("java.lang.Foo", new IOException("reset"))))
                .contains("reset");
        assertThat(UserMessages.userText(new IllegalStateException())).isEmpty();
        assertThat(UserMessages.namesJava("at io.netty.channel.Foo")).isTrue();
        assertThat(UserMessages.namesJava("no PEM private key in /etc/ovs/key.pem"))
                .isFalse();
    }

    @Test
    void byteDumpsAreCut() {
        String dump = "ab".repeat(100);
        assertThat(UserMessages.withoutDumps("not an SSL/TLS record: " + dump))
                .isEqualTo("not an SSL/TLS record: " + "ab".repeat(16) + "…");
    }
}
