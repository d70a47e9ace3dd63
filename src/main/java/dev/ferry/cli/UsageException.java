package dev.ferry.cli;

/** A command line that cannot be carried out as given. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}
