package dev.ferry.cli;

/** ferry's exit codes; documented in the README. Scripts rely on them: never renumber. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Anything not covered below: a registry server error, an unexpected failure. */
    public static final int FAILURE = 1;
    /** Bad command line: unknown option, malformed reference, unknown transport. */
    public static final int USAGE = 2;
    /** The image, tag, blob, repository or platform does not exist. */
    public static final int NOT_FOUND = 3;
    /** The registry refused the credentials, or their absence. */
    public static final int UNAUTHORIZED = 4;
    /** Content did not match its digest or size. */
    public static final int VERIFICATION = 5;
    /** The registry could not be reached: DNS, connection, TLS, timeout. */
    public static final int NETWORK = 6;
    /** The registry answered something ferry cannot use: invalid JSON, HTML, an unsupported manifest. */
    public static final int INVALID_RESPONSE = 7;

    private ExitCodes() {
    }
}
