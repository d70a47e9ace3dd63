package dev.ferry;

import dev.ferry.digest.VerificationException;
import dev.ferry.transfer.TransferResult;
import java.util.List;

/** What {@link Ferry#verify} read, and what did not verify. */
public record Verification(TransferResult result, List<VerificationException> failures) {
}
