package dev.ferry;

import dev.ferry.digest.Digest;
import dev.ferry.transfer.TransferResult;

/** A copy converted to OCI media types, and the digest its source's manifest had. */
public record Converted(TransferResult result, Digest sourceDigest) {
}
