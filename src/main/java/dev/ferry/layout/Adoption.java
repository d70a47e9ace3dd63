package dev.ferry.layout;

import dev.ferry.digest.Digest;
import dev.ferry.manifest.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file taken into a layout without a copy: moved into the partial area first, so that what is
 * checked is what gets named, then read through the same door as a streamed blob (size, digest,
 * diff_id) and renamed to its digest name only when all matched; a file that does not verify is
 * deleted.
 */
final class Adoption {

    private Adoption() {
    }

    static void verifyAndName(LayoutFiles files, Path file, String partial, String blobEntry, Descriptor descriptor,
            Digest diffId) throws IOException {
        Files.move(file, files.confined(partial), StandardCopyOption.ATOMIC_MOVE);
        boolean named = false;
        try {
            BlobReceiver.Result result = BlobReceiver.discarding(descriptor, diffId)
                    .accept(0, files.open(partial), n -> { }, () -> false);
            if (result instanceof BlobReceiver.Cut cut) {
                throw cut.failure();
            }
            files.move(partial, blobEntry);
            named = true;
        } finally {
            if (!named) {
                files.deleteIfExists(partial);
            }
        }
    }
}
