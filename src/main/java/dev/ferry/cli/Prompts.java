package dev.ferry.cli;

import java.io.Console;

/** Asks the user on the terminal; without one, a usage error says what to give instead. */
final class Prompts {

    private Prompts() {
    }

    private static Console terminal(String otherwise) {
        Console console = System.console();
        // Since JDK 22 there is a Console even when input is redirected: only a terminal can prompt.
        if (console == null || !console.isTerminal()) {
            throw new UsageException(otherwise);
        }
        return console;
    }

    /** A password, read without echo. */
    static String password(String prompt, String otherwise) {
        char[] typed = terminal(otherwise).readPassword("%s", prompt);
        if (typed == null || typed.length == 0) {
            throw new UsageException("no password given");
        }
        return new String(typed);
    }

    static String line(String prompt, String otherwise) {
        String typed = terminal(otherwise).readLine("%s", prompt);
        if (typed == null || typed.isBlank()) {
            throw new UsageException(otherwise);
        }
        return typed.strip();
    }
}
