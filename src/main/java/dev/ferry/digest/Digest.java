package dev.ferry.digest;

import dev.ferry.nativelib.OpenSslSha256;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 hex>}. Validated once, on construction, so that every
 * {@code Digest} in the program is safe to use as a path segment and as a URL component.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");

    public Digest {
        if (algorithm == null || hex == null) {
            throw new InvalidDigestException(algorithm + ":" + hex, "algorithm and hex are required");
        }
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default -> throw new InvalidDigestException(algorithm + ":" + hex,
                    ALGORITHM.matcher(algorithm).matches()
                            ? "unsupported digest algorithm '" + algorithm + "' (sha256 and sha512 are supported)"
                            : "malformed digest algorithm");
        };
        if (hex.length() != expected || !HEX.matcher(hex).matches()) {
            throw new InvalidDigestException(algorithm + ":" + hex,
                    algorithm + " digests need " + expected + " lowercase hex characters");
        }
    }

    /** Parses {@code algorithm:hex}; throws {@link InvalidDigestException} for anything else. */
    public static Digest parse(String value) {
        if (value == null) {
            throw new InvalidDigestException("null", "a digest is required");
        }
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new InvalidDigestException(value, "expected algorithm:hex, e.g. sha256:<64 hex characters>");
        }
        return new Digest(value.substring(0, colon), value.substring(colon + 1));
    }

    /** The sha256 digest of the given bytes. */
    public static Digest sha256(byte[] bytes) {
        return of("sha256", bytes);
    }

    /** The digest of the given bytes with this digest's algorithm. */
    public Digest computeOver(byte[] bytes) {
        return of(algorithm, bytes);
    }

    static Digest of(String algorithm, byte[] bytes) {
        Hasher hasher = hasherFor(algorithm, bytes.length);
        hasher.update(bytes, 0, bytes.length);
        return hasher.digest();
    }

    static Digest fromHash(String algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** A fresh hasher for this digest's algorithm. */
    public Hasher newHasher() {
        return hasherFor(algorithm, -1);
    }

    /** A fresh hasher for about {@code expectedBytes} of content (-1 when unknown). */
    public Hasher newHasher(long expectedBytes) {
        return hasherFor(algorithm, expectedBytes);
    }

    /**
     * OpenSSL pays off for blobs; for manifests and configs, setting up its native calls would cost
     * more start-up time than it saves.
     */
    private static Hasher hasherFor(String algorithm, long expectedBytes) {
        boolean large = expectedBytes < 0 || expectedBytes >= NATIVE_THRESHOLD;
        return algorithm.equals("sha256") && large && OpenSslSha256.available() ? new NativeHasher() : new JdkHasher(algorithm);
    }

    private static final long NATIVE_THRESHOLD = 4L * 1024 * 1024;

    /** A short form for progress lines: the first 12 hex characters. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(Digest other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    // Written out: a record's generated equals and hashCode are bound on first call through
    // invokedynamic and method handles, which the AOT cache does not keep; a digest is compared on
    // every command's start-up path.
    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && hex.equals(d.hex) && algorithm.equals(d.algorithm);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + hex.hashCode();
    }
}
