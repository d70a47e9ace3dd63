package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.reference.ImageReference;
import dev.ferry.transfer.PullOptions;
import dev.ferry.transfer.PullResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** The options and the work shared by the commands that pull an image into an OCI layout. */
abstract class LayoutTransferCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Mixin
    TransferOptions transfer;

    @Mixin
    RegistryOptions registry;

    @Mixin
    PlatformOptions platform;

    /** Pulls {@code ref} into the layout at {@code dir}, naming it {@code refName} in index.json. */
    int run(ImageReference ref, Path dir, String refName) throws Exception {
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
