package dev.ferry.history;

import dev.ferry.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain IDs as the image-spec defines them, the names of Docker's layer store:
 * {@code ChainID(1) = DiffID(1)}, {@code ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n))}.
 */
public final class ChainIds {

    private ChainIds() {
    }

    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest previous = null;
        for (Digest diffId : diffIds) {
            previous = previous == null ? diffId
                    : Digest.sha256((previous + " " + diffId).getBytes(StandardCharsets.UTF_8));
            chain.add(previous);
        }
        return chain;
    }
}
