package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.cli.Transports.DockerLocation;
import dev.ferry.cli.Transports.Location;
import dev.ferry.cli.Transports.OciLocation;
import dev.ferry.transfer.TransferResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "copy", sortOptions = false,
        description = {"Copy an image: docker://REFERENCE or oci:DIR[:TAG] to docker://REFERENCE or oci:DIR[:TAG].",
            "Manifests are copied as their exact bytes, so the destination's digest is the source's.",
            "Between registries nothing touches the disk: blobs the destination has are skipped, blobs of another",
            "repository of the same registry are mounted, the rest stream through, verified on the way.",
            "Without --all, a multi-platform source copies the selected platform's manifest (and digest) only."})
final class CopyCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Mixin
    TransferOptions transfer;

    @Mixin
    SourceRegistryOptions sourceRegistry;

    @Mixin
    DestinationRegistryOptions destinationRegistry;

    @Mixin
    PlatformOptions platform;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "docker://REFERENCE or oci:DIR[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "DESTINATION", description = "docker://REFERENCE or oci:DIR[:TAG]")
    String destination;

    @Override
    public Integer call() throws Exception {
        transfer.validate();
        Location from = Transports.location(source, "source");
        Location to = Transports.location(destination, "destination");
        ProgressDisplay progress = new ProgressDisplay(root.err, ProgressDisplay.modeFor(transfer.quiet));
        try (Ferry ferry = root.ferry()) {
            TransferResult result = switch (from) {
                case DockerLocation src when to instanceof DockerLocation dst -> ferry.copy(src.ref(),
                        sourceRegistry.access(), dst.ref(), destinationRegistry.access(),
                        transfer.copyOptions(platform), progress);
                case OciLocation src when to instanceof DockerLocation dst -> ferry.copy(src.dir(), src.tag(),
                        dst.ref(), destinationRegistry.access(), transfer.copyOptions(platform), progress);
                case DockerLocation src when to instanceof OciLocation dst -> ferry.pull(src.ref(),
                        sourceRegistry.access(), dst.dir(), transfer.pullOptions(platform, dst.tag()), progress);
                case OciLocation src when to instanceof OciLocation dst -> ferry.copy(src.dir(), src.tag(), dst.dir(),
                        transfer.pullOptions(platform, dst.tag()), progress);
                default -> throw new IllegalStateException("unreachable: " + from + " -> " + to);
            };
            if (to instanceof DockerLocation) {
                progress.copySummary(result, destination);
            } else {
                progress.summary(result, destination);
            }
            transfer.report(root, result, destination, ferry.retries());
        }
        return ExitCodes.OK;
    }
}
