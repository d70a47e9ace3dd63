package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.reference.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class DeleteCommand implements Callable<Integer> {

    final FerryCommand root;
    final RegistryOptions registry;
    String image;

    DeleteCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "delete", false,
                "Delete an image from a registry, as skopeo delete does: the manifest the reference names "
                + "and every tag that points at it.",
                "The registry must allow deleting (distribution: storage.delete.enabled); its blobs stay until it "
                + "collects garbage.");
        Specs.examples(spec, "  ferry delete docker://localhost:5000/app:old",
                "  ferry delete docker://localhost:5000/app@sha256:0123456789abcdef...");
        registry.addTo(spec);
        Specs.add(spec, Specs.parameter(String.class, v -> image = v, "0").paramLabel("docker://REFERENCE")
                .description("The image, by tag or digest."));
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        ImageReference ref = Transports.docker(image);
        try (Ferry ferry = root.ferry()) {
            ferry.delete(ref, registry.access(ref.repository()));
        }
        return ExitCodes.OK;
    }
}
