package dev.ferry.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ferry.Ferry;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.Unpacking;
import dev.ferry.unpack.LayerReport;
import dev.ferry.unpack.UnpackLimits;
import dev.ferry.unpack.UnpackOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;

final class UnpackCommand implements Callable<Integer> {

    final FerryCommand root;
    final RegistryOptions registry;
    final PlatformOptions platform = new PlatformOptions();
    boolean rootless;
    boolean bundle;
    boolean quiet;
    String format;
    String image;
    Path dir;

    UnpackCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "unpack", false,
                "Apply an image's layers, in order, to a new root filesystem DIR, as umoci unpack does.",
                "Each layer streams from the source into the tree while its digest and diff_id are checked; the tree is "
                + "built beside DIR and renamed to DIR only when every layer verified.",
                "DIR must not exist or be empty (else exit 2). Exit 5 when a layer does not verify or is not a sound tar.");
        Specs.examples(spec, "  ferry unpack docker://reg.example/app:1.0 ./rootfs",
                "  ferry unpack --bundle oci:./layout:1.0 ./bundle",
                "  ferry unpack --format json oci-archive:app.tar ./rootfs");
        registry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.flag(v -> rootless = v, "--rootless")
                .description("Set no owners and make no device nodes: owners are recorded in "
                    + "the user.rootlesscontainers xattr (the default when not run as root)."),
            Specs.flag(v -> bundle = v, "--bundle")
                .description("Write an OCI runtime bundle: DIR/rootfs and DIR/config.json."),
            Specs.flag(v -> quiet = v, "-q", "--quiet")
                .description("Print no closing line."),
            Specs.text(v -> format = v, "--format").paramLabel("json")
                .description("Print what each layer applied and skipped on "
                    + "standard out: json."));
        Specs.add(spec, Specs.parameter(String.class, v -> image = v, "0").paramLabel("IMAGE")
                .description("docker://REFERENCE, oci:DIR[:NAME], "
                    + "oci-archive:FILE[:NAME] or docker-archive:FILE[:NAME]"),
            Specs.parameter(Path.class, v -> dir = v, "1").paramLabel("DIR")
                .description("The directory to create."));
        return spec;
    }

    /** What {@code --format json} prints. */
    @JsonPropertyOrder({"Reference", "Digest", "Directory", "Rootless", "Layers"})
    record Report(@JsonProperty("Reference") String reference, @JsonProperty("Digest") String digest,
            @JsonProperty("Directory") String directory, @JsonProperty("Rootless") boolean rootless,
            @JsonProperty("Layers") List<Layer> layers) {
    }

    @JsonPropertyOrder({"Digest", "Applied", "Skipped", "Unlisted"})
    record Layer(@JsonProperty("Digest") String digest, @JsonProperty("Applied") long applied,
            @JsonProperty("Skipped") List<Skip> skipped, @JsonProperty("Unlisted") long unlisted) {

        static Layer of(LayerReport report) {
            return new Layer(report.layer(), report.applied(), report.skipped().stream()
                    .map(s -> new Skip(s.printableName(), s.reason().name(), s.detail())).toList(), report.unlisted());
        }
    }

    @JsonPropertyOrder({"Name", "Reason", "Detail"})
    record Skip(@JsonProperty("Name") String name, @JsonProperty("Reason") String reason,
            @JsonProperty("Detail") String detail) {
    }

    @Override
    public Integer call() throws Exception {
        if (format != null && !format.equals("json")) {
            throw new UsageException("--format takes json, not '" + format + "'");
        }
        refuseExisting(dir);
        ImageLocation location = registry.location(image);
        Unpacking.Result result;
        try (Ferry ferry = root.ferry()) {
            result = ferry.unpack(location, platform.platform(), dir, options(rootless),
                    bundle ? Unpacking.BUNDLE : Unpacking.TREE);
        }
        if (format != null) {
            JsonOutput.print(root.out, new Report(image, result.manifest().digest().toString(), dir.toString(),
                    !result.privileged(), result.layers().stream().map(Layer::of).toList()));
        }
        if (!quiet) {
            long skipped = result.layers().stream().mapToLong(LayerReport::skippedCount).sum();
            root.err.println(TerminalText.line("unpacked " + image + " (" + result.manifest().digest() + ", "
                    + result.layers().size() + " layers" + (skipped > 0 ? ", " + skipped + " entries skipped" : "")
                    + ") into " + dir + (bundle ? " as a runtime bundle" : "")));
        }
        return ExitCodes.OK;
    }

    static UnpackOptions options(boolean rootless) {
        return new UnpackOptions(rootless, UnpackLimits.defaults());
    }

    /** A target that holds anything is the user's: refused before any byte is fetched. */
    static void refuseExisting(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir) || Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(dir + " exists and is not a directory");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> children = Files.list(dir)) {
                if (children.findAny().isPresent()) {
                    throw new UsageException(dir + " exists and is not empty");
                }
            }
        }
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UsageException(dir + ": its parent directory does not exist");
        }
    }
}
