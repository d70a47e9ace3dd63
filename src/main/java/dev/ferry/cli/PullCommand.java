package dev.ferry.cli;

import dev.ferry.reference.ImageReference;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pull", sortOptions = false,
        description = {"Pull an image into an OCI image layout directory (created if missing).",
            "Every blob is verified against its digest while it streams, and every layer's diff_id in the same pass.",
            "Manifests and configs are stored exactly as served, so the layout keeps the registry's digests."})
final class PullCommand extends LayoutTransferCommand {

    @Parameters(index = "0", paramLabel = "[docker://]REFERENCE", description = "The image to pull.")
    String image;

    @Parameters(index = "1", paramLabel = "DIR", description = "The OCI layout directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = Transports.dockerOptional(image);
        return run(ref, dir, refName(ref));
    }

    /** The index.json name of a pulled image: its tag, or the whole reference when pulled by digest. */
    static String refName(ImageReference ref) {
        return ref.tag() != null ? ref.tag() : ref.toString();
    }
}
