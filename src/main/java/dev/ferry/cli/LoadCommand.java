package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.ImageReference;
import dev.ferry.reference.Registry;
import dev.ferry.transfer.TransferResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;

final class LoadCommand implements Callable<Integer> {

    final FerryCommand root;
    final TransferOptions transfer = new TransferOptions();
    final RegistryOptions registry;
    String name;
    Path archive;
    String destination;

    LoadCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "load", false,
                "Copy every image of a docker-archive (docker save, skopeo, ferry save), as docker load does.",
                "docker://HOST[/NS] receives each image as HOST/NS/REPO:TAG for each of its names (their registry part "
                + "dropped); oci:DIR gets one entry per name (the tag as its ref name, the whole name as "
                + "io.containerd.image.name). Every layer is checked against its diff_id first.");
        Specs.examples(spec, "  ferry load images.tar docker://mirror.example/team",
                "  ferry load - oci:./layout < images.tar");
        transfer.addTo(spec);
        registry.addTo(spec);
        Specs.add(spec, Specs.text(v -> name = v, "--name").paramLabel("NAME:TAG")
                .description("The name of an image the archive names none for."));
        Specs.add(spec, Specs.parameter(Path.class, v -> archive = v, "0").paramLabel("FILE")
                .description("The archive, or - for standard input."),
            Specs.parameter(String.class, v -> destination = v, "1").paramLabel("DESTINATION")
                .description("docker://HOST[/NAMESPACE], oci:DIR or oci-archive:FILE"));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        transfer.validate();
        if (name != null) {
            ImageLocation.dockerArchive("docker-archive:x:" + name);
        }
        Function<String, ImageLocation> destinationFor = destinationFor();
        ProgressDisplay progress = transfer.progress(root.err);
        try (Ferry ferry = root.ferry()) {
            List<TransferResult> results = ferry.load(archive, destinationFor, name,
                    transfer.options(new PlatformOptions(), false), progress);
            for (TransferResult result : results) {
                progress.summary(result, destination);
                transfer.report(root, result, destination, ferry.retries());
            }
        }
        return ExitCodes.OK;
    }

    /** Where an image named {@code NAME:TAG} goes. */
    private Function<String, ImageLocation> destinationFor() {
        if (destination.startsWith(Transports.DOCKER)) {
            String base = destination.substring(Transports.DOCKER.length()).replaceAll("/+$", "");
            if (base.isEmpty() || base.contains(":") && base.lastIndexOf(':') > base.indexOf('/') && base.indexOf('/') > 0
                    || base.contains("@")) {
                throw new UsageException("load's destination is docker://HOST[/NAMESPACE], without a tag or digest");
            }
            ImageReference.parse(base + "/x:latest");
            return repoTag -> {
                ImageReference ref = ImageReference.parse(repoTag);
                String path = ref.repository().path();
                if (ref.registry().name().equals(Registry.DOCKER_HUB) && path.startsWith("library/")) {
                    path = path.substring("library/".length());
                }
                ImageReference target = ImageReference.parse(base + "/" + path + ":" + ref.tag());
                return new ImageLocation.Docker(target, registry.access(target.repository()));
            };
        }
        ImageLocation location = Transports.imageLocation(destination, "destination");
        return switch (location) {
            // As Docker 25 writes its index.json: the tag as the ref name, the whole name beside it
            case ImageLocation.Oci oci when oci.name() == null -> repoTag -> new ImageLocation.Oci(oci.dir(), tag(repoTag));
            case ImageLocation.OciArchive archive when archive.name() == null -> repoTag -> new ImageLocation.OciArchive(
                    archive.file(), tag(repoTag));
            default -> throw new UsageException("load's destination is docker://HOST[/NAMESPACE], oci:DIR or "
                    + "oci-archive:FILE, without a name: each image keeps its own");
        };
    }

    private static String tag(String repoTag) {
        return ImageReference.parse(repoTag).tag();
    }

    String describe(String message) {
        return Ferry.describe(message);
    }
}
