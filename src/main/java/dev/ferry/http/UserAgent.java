package dev.ferry.http;

/** The User-Agent ferry sends, with its version from the jar manifest. */
public final class UserAgent {

    public static final String VERSION = version();
    static final String VALUE = "ferry/" + VERSION;

    private UserAgent() {
    }

    private static String version() {
        String v = UserAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
