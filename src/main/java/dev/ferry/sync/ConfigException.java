package dev.ferry.sync;

/**
 * A sync configuration ferry cannot run: the message names the file, the line and column, and
 * the field (as {@code sync[2].tags.allow[0]}) where that is known. The CLI exits 2.
 */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
