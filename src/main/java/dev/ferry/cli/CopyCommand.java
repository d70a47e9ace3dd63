package dev.ferry.cli;

import dev.ferry.reference.ImageReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "copy", sortOptions = false,
        description = {"Copy an image between transports: docker://REFERENCE to oci:DIR[:TAG].",
            "The same work as pull, in skopeo's argument form."})
final class CopyCommand extends LayoutTransferCommand {

    @Parameters(index = "0", paramLabel = "SOURCE", description = "docker://REFERENCE")
    String source;

    @Parameters(index = "1", paramLabel = "DESTINATION", description = "oci:DIR[:TAG]")
    String destination;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = Transports.docker(source);
        Transports.OciDestination oci = Transports.oci(destination);
        return run(ref, oci.dir(), oci.tag());
    }
}
