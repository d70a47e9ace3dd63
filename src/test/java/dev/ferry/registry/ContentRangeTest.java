package dev.ferry.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A resumed blob's bytes are appended only when Content-Range names exactly the rest of the blob. */
class ContentRangeTest {

    @Test
    void theRestOfTheBlobWithItsSizeOrAnUnknownSizeMatches() {
        assertTrue(RegistryClient.rangeMatches("bytes 100-999/1000", 100, 1000));
        assertTrue(RegistryClient.rangeMatches(" bytes 100-999/* ", 100, 1000));
    }

    @Test
    void anotherStartEndOrSizeDoesNotMatch() {
        assertFalse(RegistryClient.rangeMatches("bytes 0-999/1000", 100, 1000));
        assertFalse(RegistryClient.rangeMatches("bytes 100-998/1000", 100, 1000));
        assertFalse(RegistryClient.rangeMatches("bytes 100-999/1001", 100, 1000));
        assertFalse(RegistryClient.rangeMatches("bytes 100-9990/1000", 100, 1000));
        assertFalse(RegistryClient.rangeMatches("items 100-999/1000", 100, 1000));
        assertFalse(RegistryClient.rangeMatches("bytes 100-999/5/*", 100, 1000));
    }

    @Test
    void aMissingContentRangeDoesNotMatch() {
        assertFalse(RegistryClient.rangeMatches(null, 100, 1000));
    }
}
