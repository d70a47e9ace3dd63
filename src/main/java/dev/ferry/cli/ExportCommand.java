package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "export", sortOptions = false,
        footerHeading = "%nExamples:%n",
        footer = {"  ferry export docker://reg.example/app:1.0 -o app-fs.tar",
            "  ferry export oci:./layout:1.0 -o - | tar -t"},
        description = {"Write an image's flattened filesystem as one tar, as crane export does.",
            "The layers are unpacked and verified as by ferry unpack into a work directory first (beside FILE, or "
                    + "in the temporary directory for -), which is removed after; FILE appears only when complete."})
final class ExportCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Mixin
    RegistryOptions registry;

    @Mixin
    PlatformOptions platform;

    @Option(names = "--rootless", description = "Unpack without setting owners (they are still exported as the "
            + "layers name them); the default when not run as root.")
    boolean rootless;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE|-", required = true,
            description = "The tar to write, or - for standard out.")
    String output;

    @Parameters(paramLabel = "IMAGE", description = "docker://REFERENCE, oci:DIR[:NAME], oci-archive:FILE[:NAME] "
            + "or docker-archive:FILE[:NAME]")
    String image;

    @Override
    public Integer call() throws Exception {
        ImageLocation location = registry.location(image);
        try (Ferry ferry = root.ferry()) {
            if (output.equals("-")) {
                OutputStream out = new BufferedOutputStream(root.out, 1 << 16);
                ferry.export(location, platform.platform(), UnpackCommand.options(rootless),
                        Path.of(System.getProperty("java.io.tmpdir")), out);
                out.flush();
                return ExitCodes.OK;
            }
            Path file = Path.of(output).toAbsolutePath().normalize();
            if (file.getParent() == null || !Files.isDirectory(file.getParent()) || Files.isDirectory(file)) {
                throw new UsageException("-o " + output + ": " + (Files.isDirectory(file) ? "is a directory"
                        : "its directory does not exist"));
            }
            Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".ferry-", ".tmp");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                    ferry.export(location, platform.platform(), UnpackCommand.options(rootless), file.getParent(), out);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        root.err.println(TerminalText.line("exported " + image + " to " + output));
        return ExitCodes.OK;
    }
}
