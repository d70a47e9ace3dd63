package dev.ferry.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ferry.Ferry;
import dev.ferry.Verification;
import dev.ferry.digest.VerificationException;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.BlobRecord;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

final class VerifyCommand implements Callable<Integer> {

    final FerryCommand root;
    final RegistryOptions registry;
    final PlatformOptions platform = new PlatformOptions();
    boolean all;
    boolean includeForeign;
    int parallel;
    boolean quiet;
    String format;
    String image;

    VerifyCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "verify", false,
                "Read an image where it is and check it, as crane validate does: every manifest, config and "
                + "blob digest and size, every layer's diff_id and the layer count.",
                "A registry's image streams and is dropped; a layout or archive is read in place. Nothing is written.",
                "Exit 5 names the first blob that does not verify; --format json lists every one.");
        Specs.examples(spec, "  ferry verify docker://reg.example/app:1.0",
                "  ferry verify --all oci:./layout:1.0",
                "  ferry verify --format json oci-archive:app.tar");
        registry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.flag(v -> all = v, "-a", "--all")
                .description("Check every platform of a multi-platform image, and the index."),
            Specs.flag(v -> includeForeign = v, "--include-foreign")
                .description("Also check foreign / non-distributable layers."),
            Specs.number(v -> parallel = v, "--parallel").paramLabel("N")
                .defaultValue("" + dev.ferry.transfer.TransferOptions.DEFAULT_PARALLEL)
                .description("Blobs to check at once (default ${DEFAULT-VALUE})."),
            Specs.flag(v -> quiet = v, "-q", "--quiet")
                .description("Print no progress and no closing line."),
            Specs.text(v -> format = v, "--format").paramLabel("json")
                .description("Print what was checked on standard out: json."));
        Specs.add(spec, Specs.parameter(String.class, v -> image = v, "0").paramLabel("IMAGE")
                .description("docker://REFERENCE, oci:DIR[:NAME] or oci-archive:FILE[:NAME]"));
        return spec;
    }

    /** What {@code --format json} prints: the image, how many blobs were read, and each that failed. */
    @JsonPropertyOrder({"Reference", "Digest", "Blobs", "Verified", "Failures"})
    record Report(@JsonProperty("Reference") String reference, @JsonProperty("Digest") String digest,
            @JsonProperty("Blobs") int blobs, @JsonProperty("Verified") boolean verified,
            @JsonProperty("Failures") List<Failure> failures) {
    }

    @JsonPropertyOrder({"Subject", "Message"})
    record Failure(@JsonProperty("Subject") String subject, @JsonProperty("Message") String message) {
    }

    @Override
    public Integer call() throws Exception {
        if (format != null && !format.equals("json")) {
            throw new UsageException("--format takes json, not '" + format + "'");
        }
        if (parallel < 1 || parallel > 64) {
            throw new UsageException("--parallel takes a number from 1 to 64");
        }
        ImageLocation location = registry.location(image);
        ProgressDisplay progress = new ProgressDisplay(root.err, ProgressDisplay.modeFor(quiet));
        Verification verification;
        try (Ferry ferry = root.ferry()) {
            verification = ferry.verify(location, new dev.ferry.transfer.TransferOptions(platform.platform(), all,
                    parallel, includeForeign), progress);
        }
        List<VerificationException> failures = verification.failures();
        if (format != null) {
            JsonOutput.print(root.out, new Report(image, verification.result().manifest().digest().toString(),
                    (int) verification.result().blobs().stream().filter(VerifyCommand::read).count(),
                    failures.isEmpty(), failures.stream().map(f -> new Failure(f.subject(),
                            Ferry.describe(f.getMessage()))).toList()));
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
        progress.verifySummary(verification.result(), image);
        return ExitCodes.OK;
    }

    private static boolean read(BlobRecord record) {
        return record.outcome() == dev.ferry.transfer.BlobOutcome.FETCHED;
    }

    /** A message with the work directory of an oci-archive: argument named as its archive. */
    String describe(String message) {
        return Ferry.describe(message);
    }
}
