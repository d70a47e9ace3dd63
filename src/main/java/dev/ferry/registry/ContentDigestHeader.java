package dev.ferry.registry;

import dev.ferry.digest.Digest;
import dev.ferry.digest.InvalidDigestException;

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
}
