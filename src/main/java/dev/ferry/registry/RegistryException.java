package dev.ferry.registry;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A registry that answered with an error. Carries the HTTP status, the error codes of the spec's
 * error body, what ferry was doing and what it was about (a reference or a blob).
 */
public sealed class RegistryException extends IOException permits TagListTruncatedException {

    /** What kind of failure, as the CLI maps it to exit codes. */
    public enum Kind { NOT_FOUND, UNAUTHORIZED, THROTTLED, SERVER, INVALID_RESPONSE, OTHER }

    private final Kind kind;
    private final int status;
    private final List<RegistryError> errors;
    private final String subject;

    public RegistryException(Kind kind, int status, List<RegistryError> errors, String action, String subject) {
        super(subject + ": " + action + " failed: " + describe(status, errors));
        this.kind = kind;
        this.status = status;
        this.errors = List.copyOf(errors);
        this.subject = subject;
    }

    /** @param status the status the answer really had (a 202 without a Location is reported as 202) */
    static RegistryException invalidResponse(int status, String action, String subject, String what) {
        return new RegistryException(Kind.INVALID_RESPONSE, status, List.of(new RegistryError("INVALID_RESPONSE", what)),
                action, subject);
    }

    static Kind kindOf(int status, List<RegistryError> errors) {
        for (RegistryError e : errors) {
            if (e.code() == null) {
                continue;
            }
            switch (e.code()) {
                case "MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "NAME_UNKNOWN" -> {
                    return Kind.NOT_FOUND;
                }
                case "UNAUTHORIZED", "DENIED" -> {
                    return Kind.UNAUTHORIZED;
                }
                case "TOOMANYREQUESTS" -> {
                    return Kind.THROTTLED;
                }
                default -> {
                }
            }
        }
        return switch (status) {
            case 404 -> Kind.NOT_FOUND;
            case 401, 403 -> Kind.UNAUTHORIZED;
            case 429 -> Kind.THROTTLED;
            default -> status >= 500 ? Kind.SERVER : Kind.OTHER;
        };
    }

    private static String describe(int status, List<RegistryError> errors) {
        String codes = errors.stream().map(RegistryError::toString).collect(Collectors.joining("; "));
        return "HTTP " + status + (codes.isEmpty() ? "" : " " + codes);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public List<RegistryError> errors() {
        return errors;
    }

    public String subject() {
        return subject;
    }

    /**
     * Whether the request may succeed when started again from its beginning: a timeout (408), a
     * lost upload offset (416), throttling, a server error or an answer that did not parse; not
     * refused access or another client error, which would only repeat.
     */
    public boolean restartable() {
        return status == 408 || status == 416 || status == 429 || status >= 500 || kind == Kind.THROTTLED
                || kind == Kind.INVALID_RESPONSE;
    }
}
