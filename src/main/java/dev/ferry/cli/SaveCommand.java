package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.TransferResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class SaveCommand implements Callable<Integer> {

    final FerryCommand root;
    final TransferOptions transfer = new TransferOptions();
    final RegistryOptions registry;
    final PlatformOptions platform = new PlatformOptions();
    Path output;
    boolean uncompressedLayers;
    List<String> images;

    SaveCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "save", false,
                "Save images into one docker-archive, as docker save writes it (Docker 25+): an OCI layout "
                + "plus manifest.json, which docker load, skopeo and ferry load read.",
                "Layers stay as pulled (compressed); blobs the images share are stored once; each image is named by its tag.");
        Specs.examples(spec, "  ferry save -o images.tar reg.example/app:1.0 reg.example/db:2",
                "  ferry save -o - reg.example/app:1.0 | ssh host docker load");
        transfer.addTo(spec);
        registry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.path(v -> output = v, "-o", "--output").paramLabel("FILE").required(true)
                .description("The archive to write (replaced atomically), or - for standard output."),
            Specs.flag(v -> uncompressedLayers = v, "--uncompressed-layers")
                .description("Write layers as plain tars (as Docker up to 24 did), for consumers that read no other."));
        Specs.add(spec, Specs.parameters(v -> images = v, "0..*").arity("1..*").paramLabel("IMAGE")
                .description("[docker://]REFERENCE, oci:DIR[:TAG], oci-archive:FILE[:TAG] or docker-archive:FILE[:NAME:TAG]"));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        transfer.validate();
        boolean toStdout = output.toString().equals("-");
        List<ImageLocation> locations = new ArrayList<>();
        for (String image : images) {
            ImageLocation location = image.matches("(docker|oci|oci-archive|docker-archive):.*")
                    ? Transports.imageLocation(image, "image") : new ImageLocation.Docker(Transports.dockerOptional(image));
            locations.add(registry.withAccess(location));
        }
        ProgressDisplay progress = transfer.progress(root.err);
        try (Ferry ferry = root.ferry()) {
            List<TransferResult> results = ferry.save(locations, output, uncompressedLayers,
                    transfer.options(platform, false), progress);
            for (TransferResult result : results) {
                progress.summary(result, "docker-archive:" + output);
                if (!toStdout) {
                    transfer.report(root, result, "docker-archive:" + output, ferry.retries());
                }
            }
        }
        return ExitCodes.OK;
    }

    String describe(String message) {
        return Ferry.describe(message);
    }
}
