package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class ExportCommand implements Callable<Integer> {

    final FerryCommand root;
    final RegistryOptions registry;
    final PlatformOptions platform = new PlatformOptions();
    boolean rootless;
    String output;
    String image;

    ExportCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "export", false,
                "Write an image's flattened filesystem as one tar, as crane export does.",
                "The layers are unpacked and verified as by ferry unpack into a work directory first (beside FILE, or "
                + "in the temporary directory for -), which is removed after; FILE appears only when complete.");
        Specs.examples(spec, "  ferry export docker://reg.example/app:1.0 -o app-fs.tar",
                "  ferry export oci:./layout:1.0 -o - | tar -t");
        registry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.flag(v -> rootless = v, "--rootless")
                .description("Unpack without setting owners (they are still exported as the "
                    + "layers name them); the default when not run as root."),
            Specs.text(v -> output = v, "-o", "--output").paramLabel("FILE|-").required(true)
                .description("The tar to write, or - for standard out."));
        Specs.add(spec, Specs.parameter(String.class, v -> image = v, "0").paramLabel("IMAGE")
                .description("docker://REFERENCE, oci:DIR[:NAME], oci-archive:FILE[:NAME] "
                    + "or docker-archive:FILE[:NAME]"));
        return spec;
    }

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
