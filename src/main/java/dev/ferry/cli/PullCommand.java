package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import dev.ferry.reference.ImageReference;
import dev.ferry.transfer.TransferResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class PullCommand implements Callable<Integer> {

    final FerryCommand root;
    final TransferOptions transfer = new TransferOptions();
    final RegistryOptions registry;
    final PlatformOptions platform = new PlatformOptions();
    String image;
    Path dir;

    PullCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "pull", false,
                "Pull an image into an OCI image layout directory (created if missing).",
                "Every blob is verified against its digest while it streams, and every layer's diff_id in the same pass.",
                "Manifests and configs are stored exactly as served, so the layout keeps the registry's digests.");
        Specs.examples(spec, "  ferry pull reg.example/app:1.0 ./layout",
                "  ferry pull --all --format json docker://reg.example/app:latest ./layout");
        transfer.addTo(spec);
        registry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.parameter(String.class, v -> image = v, "0").paramLabel("[docker://]REFERENCE")
                .description("The image to pull."),
            Specs.parameter(Path.class, v -> dir = v, "1").paramLabel("DIR")
                .description("The OCI layout directory."));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        transfer.validate();
        ImageReference ref = Transports.dockerOptional(image);
        String refName = refName(ref);
        ProgressDisplay progress = transfer.progress(root.err);
        try (Ferry ferry = root.ferry()) {
            TransferResult result = transfer.copy(ferry, new ImageLocation.Docker(ref, registry.access()),
                    new ImageLocation.Oci(dir, refName), transfer.options(platform, false), progress, root.err);
            progress.summary(result, dir.toString());
            transfer.report(root, result, "oci:" + dir + ":" + refName, ferry.retries());
        }
        return ExitCodes.OK;
    }

    /** The index.json name of a pulled image: its tag, or the whole reference when pulled by digest. */
    static String refName(ImageReference ref) {
        return ref.tag() != null ? ref.tag() : ref.toString();
    }
}
