package dev.ferry.transfer;

import java.io.IOException;

/**
 * How one attempt at moving a blob ended, when it did not fail for good: the attempt policy
 * ({@link BlobMover}) decides from this whether to try again, not from exceptions.
 */
public sealed interface Attempt {

    /** The destination accepted the verified blob; {@code transferred} bytes came from the source. */
    record Done(long transferred) implements Attempt {
    }

    /** The body broke off; what arrived is kept, and the next attempt resumes after it. */
    record Resume(IOException failure) implements Attempt {
    }

    /**
     * The attempt failed in a way another from the beginning may not; {@code counted} is false for
     * the one free restart after bytes kept from an earlier attempt did not verify.
     */
    record Restart(IOException failure, boolean counted) implements Attempt {
    }
}
