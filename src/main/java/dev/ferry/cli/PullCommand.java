package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.reference.ImageReference;
import dev.ferry.transfer.PullOptions;
import dev.ferry.transfer.PullResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pull", sortOptions = false,
        description = {"Pull an image into an OCI image layout directory (created if missing).",
            "Every blob is verified against its digest while it streams, and every layer's diff_id in the same pass.",
            "Manifests and configs are stored exactly as served, so the layout keeps the registry's digests."})
final class PullCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Mixin
    TransferOptions transfer;

    @Mixin
    RegistryOptions registry;

    @Mixin
    PlatformOptions platform;

    @Parameters(index = "0", paramLabel = "[docker://]REFERENCE", description = "The image to pull.")
    String image;

    @Parameters(index = "1", paramLabel = "DIR", description = "The OCI layout directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = Transports.dockerOptional(image);
        return run(root, transfer, registry, platform, ref, dir, refName(ref));
    }

    /** The index.json name of a pulled image: its tag, or the whole reference when pulled by digest. */
    static String refName(ImageReference ref) {
        return ref.tag() != null ? ref.tag() : ref.toString();
    }

    static int run(FerryCommand root, TransferOptions transfer, RegistryOptions registry, PlatformOptions platform,
            ImageReference ref, Path dir, String refName) throws Exception {
        transfer.validate();
        ProgressDisplay progress = new ProgressDisplay(root.err, ProgressDisplay.modeFor(transfer.quiet));
        PullOptions options = new PullOptions(platform.platform(), transfer.all, transfer.parallel,
                transfer.includeForeign, refName);
        try (Ferry ferry = root.ferry()) {
            PullResult result = ferry.pull(ref, registry.access(), dir, options, progress);
            progress.summary(result, dir.toString());
            if (transfer.json()) {
                JsonOutput.print(root.out, TransferReport.of(result, "oci:" + dir + (refName != null ? ":" + refName : ""),
                        ferry.retries()));
            }
        }
        return ExitCodes.OK;
    }
}
