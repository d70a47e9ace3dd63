package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.reference.ImageReference;
import dev.ferry.registry.RegistryAccess;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "inspect", sortOptions = false,
        description = {"Describe an image in a registry without pulling it.",
            "Prints skopeo's fields, plus the image ID, each layer's diff_id, the history mapped onto the layers, "
                + "and for a multi-platform image every platform with its manifest digest and image ID."})
final class InspectCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @ArgGroup(exclusive = true)
    RawChoice raw = new RawChoice();

    static final class RawChoice {
        @Option(names = "--raw", description = "Print the manifest exactly as served (the index for a multi-platform image).")
        boolean manifest;

        @Option(names = "--config", description = "Print the image config exactly as stored, verified against its digest.")
        boolean config;
    }

    @Option(names = "--no-tags", description = "Do not list the repository's tags (RepoTags stays empty).")
    boolean noTags;

    @Mixin
    RegistryOptions registry;

    @Mixin
    PlatformOptions platform;

    @Parameters(paramLabel = "docker://REFERENCE", description = "The image, e.g. docker://registry.example/app:1.0")
    String image;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = Transports.docker(image);
        RegistryAccess access = registry.access(ref.repository());
        try (Ferry ferry = root.ferry()) {
            if (raw.manifest) {
                root.out.write(ferry.rawManifest(ref, access));
            } else if (raw.config) {
                root.out.write(ferry.rawConfig(ref, access, platform.platform()));
            } else {
                JsonOutput.print(root.out, ferry.inspect(ref, access, platform.platform(), !noTags));
            }
            root.out.flush();
        }
        return ExitCodes.OK;
    }
}
