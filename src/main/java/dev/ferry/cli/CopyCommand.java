package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.Registry;
import dev.ferry.reference.Repository;
import dev.ferry.registry.RegistryException;
import dev.ferry.transfer.TransferResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class CopyCommand implements Callable<Integer> {

    final FerryCommand root;
    final TransferOptions transfer = new TransferOptions();
    final SideRegistryOptions sourceRegistry;
    final SideRegistryOptions destinationRegistry;
    final PlatformOptions platform = new PlatformOptions();
    Path authfile;
    boolean preserveDigests;
    String source;
    String destination;
    boolean verifyDiffIds;
    boolean uncompressedLayers;

    CopyCommand(FerryCommand root) {
        this.root = root;
        sourceRegistry = SideRegistryOptions.source(root);
        destinationRegistry = SideRegistryOptions.destination(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "copy", false,
                "Copy an image between registries (docker://REFERENCE), OCI layouts (oci:DIR[:TAG]) and tars of "
                + "layouts (oci-archive:FILE[:TAG]).",
                "Manifests are copied as their exact bytes, so the destination's digest is the source's.",
                "Between registries nothing touches the disk: blobs the destination has are left alone, blobs of another "
                + "repository of the same registry are mounted, the rest stream through, verified on the way.",
                "Without --all, a multi-platform source copies the selected platform's manifest (and digest) only.");
        Specs.examples(spec, "  ferry copy docker://reg.example/app:1.0 docker://mirror.example/app:1.0",
                "  ferry copy --all docker://reg.example/app:1 docker://localhost:5000/app:1",
                "  ferry copy docker://reg.example/app:1.0 oci:./layout:1.0",
                "  ferry copy docker://reg.example/app:1.0 oci-archive:app.tar:1.0",
                "  ferry copy --digestfile d.txt oci-archive:app.tar docker://reg.example/a:1");
        transfer.addTo(spec);
        sourceRegistry.addTo(spec);
        destinationRegistry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.path(v -> authfile = v, "--authfile").paramLabel("PATH")
                .description("Read credentials for both registries from this auth file only (default: $REGISTRY_AUTH_FILE, "
                    + "else the files docker and podman use)."),
            Specs.flag(v -> preserveDigests = v, "--preserve-digests")
                .description("Accepted for skopeo's command lines: ferry never rewrites an image, so digests are always kept."));
        Specs.add(spec, Specs.parameter(String.class, v -> source = v, "0").paramLabel("SOURCE")
                .description("docker://REFERENCE, oci:DIR[:TAG] or oci-archive:FILE[:TAG]"),
            Specs.parameter(String.class, v -> destination = v, "1").paramLabel("DESTINATION")
                .description("docker://REFERENCE, oci:DIR[:TAG] or oci-archive:FILE[:TAG]"));
        Specs.add(spec, Specs.flag(v -> verifyDiffIds = v, "--verify-diff-ids")
                .description("Between registries, also inflate every layer while it streams and check it against the "
                    + "config's diff_ids (a layout or archive destination always checks them)."),
            Specs.flag(v -> uncompressedLayers = v, "--uncompressed-layers")
                .description("With a docker-archive: destination, write layers as plain tars (as Docker up to 24 did)."));
        return spec;
    }

    private ImageLocation from;
    private ImageLocation to;

    @Override
    public Integer call() throws Exception {
        transfer.validate();
        if (preserveDigests && transfer.oci()) {
            throw new UsageException("--preserve-digests and --format oci contradict each other: converting changes "
                    + "the manifests' digests");
        }
        from = withAccess(Transports.imageLocation(source, "source"), true);
        to = withAccess(Transports.imageLocation(destination, "destination"), false);
        if (uncompressedLayers) {
            if (!(to instanceof ImageLocation.DockerArchive archive)) {
                throw new UsageException("--uncompressed-layers is for a docker-archive: destination");
            }
            to = archive.withUncompressedLayers();
        }
        if (to instanceof ImageLocation.DockerArchive archive && archive.standardStream()
                && (transfer.json() || transfer.digestFile != null && transfer.digestFile.toString().equals("-"))) {
            throw new UsageException("docker-archive:- writes the archive to standard output: --format json would "
                    + "mix the summary into it");
        }
        ProgressDisplay progress = transfer.progress(root.err);
        try (Ferry ferry = root.ferry()) {
            TransferResult result = transfer.copy(ferry, from, to, transfer.options(platform, verifyDiffIds), progress,
                    root.err);
            if (to instanceof ImageLocation.Docker) {
                progress.copySummary(result, destination);
            } else {
                progress.summary(result, destination);
            }
            transfer.report(root, result, destination, ferry.retries());
        }
        return ExitCodes.OK;
    }

    private ImageLocation withAccess(ImageLocation location, boolean source) {
        if (location instanceof ImageLocation.Docker docker) {
            Repository repository = docker.ref().repository();
            return docker.withAccess(source ? sourceRegistry.access(repository, authfile)
                    : destinationRegistry.access(repository, authfile));
        }
        return location;
    }

    /**
     * The option holding the credentials a registry refused: the side whose registry the failure
     * names, or both when that cannot be told (one registry on both sides, a token service's message).
     */
    String credentialsOption(Exception failure) {
        Registry src = from instanceof ImageLocation.Docker d ? d.ref().registry() : null;
        Registry dst = to instanceof ImageLocation.Docker d ? d.ref().registry() : null;
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
        return Ferry.describe(message);
    }
}
