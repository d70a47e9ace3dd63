package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.cli.Transports.DockerLocation;
import dev.ferry.cli.Transports.Location;
import dev.ferry.cli.Transports.OciLocation;
import dev.ferry.reference.Registry;
import dev.ferry.registry.RegistryAccess;
import dev.ferry.registry.RegistryException;
import dev.ferry.transfer.TransferResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "copy", sortOptions = false,
        footerHeading = "%nExamples:%n",
        footer = {"  ferry copy docker://reg.example/app:1.0 docker://mirror.example/app:1.0",
            "  ferry copy --all docker://reg.example/app:1 docker://localhost:5000/app:1",
            "  ferry copy docker://reg.example/app:1.0 oci:./layout:1.0",
            "  ferry copy docker://reg.example/app:1.0 oci-archive:app.tar:1.0",
            "  ferry copy --digestfile d.txt oci-archive:app.tar docker://reg.example/a:1"},
        description = {"Copy an image between registries (docker://REFERENCE), OCI layouts (oci:DIR[:TAG]) and tars of "
                + "layouts (oci-archive:FILE[:TAG]).",
            "Manifests are copied as their exact bytes, so the destination's digest is the source's.",
            "Between registries nothing touches the disk: blobs the destination has are skipped, blobs of another "
                + "repository of the same registry are mounted, the rest stream through, verified on the way.",
            "Without --all, a multi-platform source copies the selected platform's manifest (and digest) only."})
final class CopyCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    private ArchiveWork archives;

    @Mixin
    TransferOptions transfer;

    @Mixin
    SourceRegistryOptions sourceRegistry;

    @Mixin
    DestinationRegistryOptions destinationRegistry;

    @Mixin
    PlatformOptions platform;

    @Option(names = "--authfile", paramLabel = "PATH",
            description = "Read credentials for both registries from this auth file only (default: $REGISTRY_AUTH_FILE, "
                    + "else the files docker and podman use).")
    Path authfile;

    @Option(names = "--preserve-digests",
            description = "Accepted for skopeo's command lines: ferry never rewrites an image, so digests are always kept.")
    boolean preserveDigests;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "docker://REFERENCE, oci:DIR[:TAG] or oci-archive:FILE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "DESTINATION", description = "docker://REFERENCE, oci:DIR[:TAG] or oci-archive:FILE[:TAG]")
    String destination;

    private Location from;
    private Location to;

    @Override
    public Integer call() throws Exception {
        transfer.validate();
        from = Transports.location(source, "source");
        Location target = Transports.location(destination, "destination");
        ProgressDisplay progress = new ProgressDisplay(root.err, ProgressDisplay.modeFor(transfer.quiet));
        ArchiveWork work = new ArchiveWork();
        archives = work;
        try (work; Ferry ferry = root.ferry()) {
            from = work.readable(from);
            to = work.writable(target);
            TransferResult result = switch (from) {
                case DockerLocation src when to instanceof DockerLocation dst -> ferry.copy(src.ref(), access(src),
                        dst.ref(), access(dst), transfer.copyOptions(platform), progress);
                case OciLocation src when to instanceof DockerLocation dst -> ferry.copy(src.dir(), src.tag(),
                        dst.ref(), access(dst), transfer.copyOptions(platform), progress);
                case DockerLocation src when to instanceof OciLocation dst -> ferry.pull(src.ref(), access(src),
                        dst.dir(), transfer.pullOptions(platform, dst.tag()), progress);
                case OciLocation src when to instanceof OciLocation dst -> ferry.copy(src.dir(), src.tag(), dst.dir(),
                        transfer.pullOptions(platform, dst.tag()), progress);
                default -> throw new IllegalStateException("unreachable: " + from + " -> " + to);
            };
            work.finish(target, to);
            result = new TransferResult(describe(result.reference()), result.manifest(), result.blobs(),
                    result.elapsed());
            if (to instanceof DockerLocation) {
                progress.copySummary(result, destination);
            } else {
                progress.summary(result, destination);
            }
            transfer.report(root, result, destination, ferry.retries());
        }
        return ExitCodes.OK;
    }

    private RegistryAccess access(DockerLocation location) {
        return location == from ? sourceRegistry.access(location.ref().repository(), authfile)
                : destinationRegistry.access(location.ref().repository(), authfile);
    }

    /**
     * The option holding the credentials a registry refused: the side whose registry the failure
     * names, or both when that cannot be told (one registry on both sides, a token service's message).
     */
    String credentialsOption(Exception failure) {
        Registry src = from instanceof DockerLocation d ? d.ref().registry() : null;
        Registry dst = to instanceof DockerLocation d ? d.ref().registry() : null;
        if (src == null) {
            return "--dest-creds";
        }
        if (dst == null) {
            return "--src-creds";
        }
        String subject = failure instanceof RegistryException r ? r.subject() : String.valueOf(failure.getMessage());
        boolean atSource = names(subject, src);
        boolean atDestination = names(subject, dst);
        return atDestination && !atSource ? "--dest-creds"
                : atSource && !atDestination ? "--src-creds" : "--src-creds or --dest-creds";
    }

    /** Whether a message's subject starts with the registry's name ("host:port/repo", "host:port requires"). */
    private static boolean names(String subject, Registry registry) {
        String name = registry.name();
        return subject.startsWith(name) && (subject.length() == name.length()
                || subject.charAt(name.length()) == '/' || subject.charAt(name.length()) == ' ');
    }

    /** A message with the work directories of oci-archive: arguments named as their archives. */
    String describe(String message) {
        return archives == null ? message : archives.describe(message);
    }
}
