package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.reference.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "delete", sortOptions = false,
        description = {"Delete an image from a registry, as skopeo delete does: the manifest the reference names "
                + "and every tag that points at it.",
            "The registry must allow deleting (distribution: storage.delete.enabled); its blobs stay until it "
                + "collects garbage."},
        footerHeading = "%nExamples:%n",
        footer = {"  ferry delete docker://localhost:5000/app:old",
            "  ferry delete docker://localhost:5000/app@sha256:0123456789abcdef..."})
final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Mixin
    RegistryOptions registry;

    @Parameters(paramLabel = "docker://REFERENCE", description = "The image, by tag or digest.")
    String image;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = Transports.docker(image);
        try (Ferry ferry = root.ferry()) {
            ferry.delete(ref, registry.access(ref.repository()));
        }
        return ExitCodes.OK;
    }
}
