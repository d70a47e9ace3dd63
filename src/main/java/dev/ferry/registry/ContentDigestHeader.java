package dev.ferry.registry;

import dev.ferry.digest.Digest;
import dev.ferry.digest.InvalidDigestException;
import dev.ferry.digest.VerificationException;

/** The {@code Docker-Content-Digest} a registry states for what it sent or stored. */
final class ContentDigestHeader {

    private ContentDigestHeader() {
    }

    /**
     * The stated digest, or null when there is none or its algorithm is one ferry cannot check (which
     * says nothing against the content).
     */
    static Digest parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Digest.parse(header.trim());
        } catch (InvalidDigestException e) {
            return null;
        }
    }

    /** Fails when the registry states another digest (of the same algorithm) than {@code expected}. */
    static void requireEqual(String header, Digest expected, String subject) throws VerificationException {
        Digest stated = parse(header);
        if (stated != null && stated.algorithm().equals(expected.algorithm()) && !stated.equals(expected)) {
            throw VerificationException.digestMismatch(subject + " as stored by the registry", expected, stated);
        }
    }
}
