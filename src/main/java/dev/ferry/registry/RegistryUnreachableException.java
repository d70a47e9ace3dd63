package dev.ferry.registry;

import java.io.IOException;

/** A registry that could not be reached: DNS, connection, TLS or timeout. The cause says which. */
public final class RegistryUnreachableException extends IOException {

    private final String registry;

    public RegistryUnreachableException(String registry, String action, IOException cause) {
        super(registry + ": " + action + " failed: " + describe(cause), cause);
        this.registry = registry;
    }

    /** With a message that says all itself, e.g. naming a token service as well as the registry. */
    public RegistryUnreachableException(String registry, IOException cause, String message) {
        super(message, cause);
        this.registry = registry;
    }

    private static String describe(IOException cause) {
        String message = cause.getMessage();
        // A timeout says what ran out (a stall, a deadline and its limits); its class name adds nothing.
        String kind = cause instanceof java.net.SocketTimeoutException ? "timed out" : cause.getClass().getSimpleName();
        return kind + (message == null ? "" : ": " + message);
    }

    public String registry() {
        return registry;
    }
}
