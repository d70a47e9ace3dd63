package dev.ferry.compress;

import java.io.IOException;
import java.io.InputStream;

/** Turns a compressed stream into the uncompressed one. Small on purpose, so others can slot in. */
@FunctionalInterface
public interface Decompressor {

    InputStream open(InputStream compressed) throws IOException;
}
