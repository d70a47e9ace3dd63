package dev.ferry.cli;

import dev.ferry.reference.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "copy", sortOptions = false,
        description = {"Copy an image between transports: docker://REFERENCE to oci:DIR[:TAG].",
            "The same work as pull, in skopeo's argument form."})
final class CopyCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Mixin
    TransferOptions transfer;

    @Mixin
    RegistryOptions registry;

    @Mixin
    PlatformOptions platform;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "docker://REFERENCE")
    String source;

    @Parameters(index = "1", paramLabel = "DESTINATION", description = "oci:DIR[:TAG]")
    String destination;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = Transports.docker(source);
        Transports.OciDestination oci = Transports.oci(destination);
        return PullCommand.run(root, transfer, registry, platform, ref, oci.dir(), oci.tag());
    }

}
