package dev.ferry.registry;

import java.io.InputStream;

/**
 * The bytes of a blob from {@code start} to its end, as a registry sent them, unverified: the
 * reader checks the whole blob's digest over what it had before {@code start} and this body.
 */
public record BlobRange(long start, InputStream body) {
}
