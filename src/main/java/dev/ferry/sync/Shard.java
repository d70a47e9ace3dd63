package dev.ferry.sync;

import dev.ferry.reference.Repository;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code --shard I/N}: this worker takes the rules whose source repository hashes to I. The hash is
 * SHA-256 of the repository's full name, so every worker, on any machine and JVM, splits a plan
 * the same way without talking to the others, and one repository's tags stay with one worker
 * (its mounts and tag list stay local).
 */
public record Shard(int index, int count) {

    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || count > 10_000 || index < 0 || index >= count) {
            throw new IllegalArgumentException("a shard is I/N with 0 <= I < N <= 10000");
        }
    }

    public static Shard parse(String text) {
        String[] parts = text.split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // the message below says what to write
        }
        throw new IllegalArgumentException("'" + Printable.of(text) + "' is not a shard: write I/N, e.g. 0/4");
    }

    public boolean owns(Repository repository) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(repository.name().getBytes(StandardCharsets.UTF_8));
            return Math.floorMod(ByteBuffer.wrap(hash).getLong(), (long) count) == index;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
