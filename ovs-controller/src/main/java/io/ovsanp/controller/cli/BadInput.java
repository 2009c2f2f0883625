package io.ovsanp.controller.cli;

/** Input the command cannot work with; printed as {@code error: message}, exit code 2. */
final class BadInput extends Exception {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message);
    }
}
