package io.ovsanp.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The safety net: an exception no command expected is one line and exit 3, never a stack trace. */
class InternalErrorTest {
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final RuntimeException failure;

        Boom(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() {
            throw failure;
        }
    }

    private static CliRun run(RuntimeException failure) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine().addSubcommand("boom", new Boom(failure));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new CliRun(cl.execute("boom"), out.toString(), err.toString());
    }

    @Test
    void anUnexpectedExceptionIsOneErrorLineAndExitThree() {
        CliRun r = run(new IllegalStateException("the flow table lost its miss flow"));

        assertThat(r.exit()).isEqualTo(Main.EXIT_INTERNAL).isEqualTo(3);
        assertThat(r.err())
                .isEqualTo("error: internal error in boom: the flow table lost its miss flow (a bug in ovs-anp;"
                        + " OVSANP_LOG_LEVEL=DEBUG shows where)" + System.lineSeparator());
    }

    @Test
    void aMessageThatNamesJavaClassesIsNotShown() {
        CliRun r = run(new NullPointerException("Cannot invoke \"java.util.List.size()\" because \"flows\" is null"));

        assertThat(r.exit()).isEqualTo(Main.EXIT_INTERNAL);
        assertThat(r.err())
                .startsWith("error: internal error in boom: an unexpected failure")
                .doesNotContain("java.")
                .doesNotContain("NullPointerException");
    }
}
