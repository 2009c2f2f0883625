package io.ovsanp.controller.cli;

import io.ovsanp.compiler.diag.Diagnostic;
import io.ovsanp.controller.errors.UserMessages;
import io.ovsanp.controller.snapshot.SnapshotLoadException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** Shared plumbing: output streams and the mapping of bad input to exit code 2. */
abstract class CliCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    abstract int execute() throws SnapshotLoadException, BadInput;

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (SnapshotLoadException | BadInput e) {
            printError(e);
            return Main.EXIT_BAD_INPUT;
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** {@code error: LINE} for each line of the message (a load error may list several problems). */
    void printError(Exception e) {
        List<String> lines = e instanceof SnapshotLoadException loadError
                ? loadError.lines()
                : List.of(String.valueOf(e.getMessage()));
        for (String line : lines) {
            // A library's message passed on in ours must not bring its class names along.
            err().println("error: " + UserMessages.withoutJavaNames(line));
        }
    }

    /** Prints errors and warnings to stderr (notes only when asked), each on one line. */
    void report(List<Diagnostic> diagnostics, boolean withNotes) {
        for (Diagnostic d : diagnostics) {
            if (withNotes || d.severity().counts()) {
                err().println(d.render());
            }
        }
    }
}
