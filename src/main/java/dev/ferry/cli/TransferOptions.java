package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.Converted;
import dev.ferry.digest.Digest;
import dev.ferry.files.AtomicFiles;
import dev.ferry.transfer.RangeOptions;
import dev.ferry.location.ImageLocation;
import dev.ferry.transfer.TransferResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** Options shared by the commands that move images: pull and copy. */
final class TransferOptions {

    boolean all;
    String multiArch;
    int parallel;
    /** A number from 1 to 64, or auto. */
    String perLayer;
    String chunkSize;
    String threshold;
    /** Null unless given: then --parallel times --max-concurrent-downloads-per-layer. */
    Integer perRegistry;
    boolean quiet;
    List<String> format;
    boolean includeForeign;
    Path digestFile;

    void addTo(CommandSpec spec) {
        Specs.add(spec, Specs.flag(v -> all = v, "-a", "--all")
                .description("Transfer every platform of a multi-platform image, and the index itself."),
            Specs.text(v -> multiArch = v, "--multi-arch").paramLabel("system|all")
                .description("skopeo's form of the choice: system (the default) transfers the selected platform, all is --all."),
            Specs.number(v -> parallel = v, "--parallel").paramLabel("N")
                .defaultValue("" + dev.ferry.transfer.TransferOptions.DEFAULT_PARALLEL)
                .description("Blobs to transfer at once (default ${DEFAULT-VALUE})."),
            Specs.text(v -> perLayer = v, "--max-concurrent-downloads-per-layer").paramLabel("N|auto")
                .defaultValue("auto")
                .description("Connections one large blob is fetched over, in ranges (containerd's "
                    + "max_concurrent_downloads_per_layer; 1 turns ranged fetch off). auto (the default): one, and "
                    + RangeOptions.AUTO_PER_LAYER + " once that one connection is seen to be what the blob waits on."),
            Specs.text(v -> chunkSize = v, "--concurrent-layer-fetch-buffer").paramLabel("SIZE").defaultValue("8MiB")
                .description("The size of one range of a blob fetched in ranges (containerd's concurrent_layer_fetch_buffer; "
                    + "default ${DEFAULT-VALUE})."),
            Specs.text(v -> threshold = v, "--ranged-fetch-threshold").paramLabel("SIZE").defaultValue("32MiB")
                .description("Blobs at least this large are fetched in ranges (default ${DEFAULT-VALUE})."),
            Specs.optionalNumber(v -> perRegistry = v, "--max-connections-per-registry").paramLabel("N")
                .description("Connections to the source registry at once, over all blobs: each blob moved holds one, "
                    + "ranges take what is left (default --parallel times --max-concurrent-downloads-per-layer, "
                    + RangeOptions.AUTO_PER_LAYER + " for auto)."),
            Specs.flag(v -> quiet = v, "-q", "--quiet").description("Print no progress."),
            Specs.texts(v -> format = v, "--format").paramLabel("json|oci")
                .description("json: print a machine-readable summary on standard out; oci: convert Docker manifests and "
                    + "lists to OCI media types (their digests change), for layouts skopeo and umoci read. Repeat for both."),
            Specs.flag(v -> includeForeign = v, "--include-foreign")
                .description("Also transfer foreign / non-distributable layers."),
            Specs.path(v -> digestFile = v, "--digestfile").paramLabel("PATH")
                .description("After the transfer, write the digest of the manifest the destination now has to PATH."));
    }

    boolean json() {
        return formats().contains("json");
    }

    /** {@code --format oci}: Docker manifests converted to OCI media types. */
    boolean oci() {
        return formats().contains("oci");
    }

    private List<String> formats() {
        if (format == null) {
            return List.of();
        }
        for (String value : format) {
            if (value.matches("v2s1|v2s2")) {
                throw new UsageException("--format " + value + " is not supported: ferry converts only to oci (Docker's "
                        + "formats cannot carry an OCI image's annotations and artifact types, and v2s1 is deprecated); "
                        + "without --format, manifests are copied as they are");
            }
            if (!value.equals("json") && !value.equals("oci")) {
                throw new UsageException("--format takes json or oci, not '" + value + "'");
            }
        }
        return format;
    }

    /** The progress display {@code --quiet} asks for. */
    ProgressDisplay progress(PrintStream err) {
        return new ProgressDisplay(err, ProgressDisplay.modeFor(quiet));
    }

    dev.ferry.transfer.TransferOptions options(PlatformOptions platform, boolean verifyDiffIds) {
        return new dev.ferry.transfer.TransferOptions(platform.platform(), all(), parallel, includeForeign,
                verifyDiffIds, ranges());
    }

    private int perLayer() {
        if (perLayer.equals("auto")) {
            return RangeOptions.AUTO;
        }
        try {
            int n = Integer.parseInt(perLayer);
            if (n >= 1 && n <= 64) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is taken
        }
        throw new UsageException("--max-concurrent-downloads-per-layer takes a number from 1 to 64, or auto");
    }

    private RangeOptions ranges() {
        return new RangeOptions(ByteSizes.parse("--ranged-fetch-threshold", threshold),
                ByteSizes.parse("--concurrent-layer-fetch-buffer", chunkSize), perLayer(),
                perRegistry == null ? RangeOptions.AUTO : perRegistry);
    }

    /** The digest file, when asked for; with {@code --format json}, the summary on standard out. */
    void report(FerryCommand root, TransferResult result, String destination, long retries) throws OutputFileException {
        if (digestFile != null) {
            // As skopeo writes it: the bare digest, no newline, so that $(cat FILE) and FILE's bytes agree.
            try {
                AtomicFiles.write(digestFile, result.manifest().digest().toString().getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new OutputFileException("the image was transferred, but the digest file " + digestFile
                        + " could not be written: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (json()) {
            JsonOutput.print(root.out, TransferReport.of(result, destination, retries));
        }
    }

    /**
     * The copy, converted to OCI media types with {@code --format oci}; a line on standard error says
     * that the digest changed, or, without the option, that a Docker-typed image in an OCI layout is
     * skipped by skopeo and umoci.
     */
    TransferResult copy(Ferry ferry, ImageLocation from, ImageLocation to, dev.ferry.transfer.TransferOptions options,
            ProgressDisplay progress, PrintStream err) throws IOException {
        if (oci()) {
            if (!(to instanceof ImageLocation.Oci || to instanceof ImageLocation.OciArchive)) {
                throw new UsageException("--format oci converts images for OCI layouts: the destination is "
                        + "oci:DIR[:TAG] or oci-archive:FILE[:TAG]");
            }
            Converted converted = ferry.copyAsOci(from, to, options, progress);
            Digest now = converted.result().manifest().digest();
            if (converted.sourceDigest() != null && !converted.sourceDigest().equals(now)) {
                err.println("converted to OCI media types: the manifest's digest is now " + now + " (the source's is "
                        + converted.sourceDigest() + ")");
            }
            return converted.result();
        }
        TransferResult result = ferry.copy(from, to, options, progress);
        String type = result.manifest().mediaType();
        if ((to instanceof ImageLocation.Oci || to instanceof ImageLocation.OciArchive) && type != null
                && type.startsWith("application/vnd.docker.")) {
            err.println("note: the image keeps its Docker media types (" + TerminalText.line(type, 80) + "); skopeo and "
                    + "umoci skip Docker-typed entries of an OCI layout: --format oci converts them");
        }
        return result;
    }

    private boolean all() {
        return all || "all".equals(multiArch);
    }

    void validate() {
        if (multiArch != null) {
            switch (multiArch) {
                case "system" -> {
                    if (all) {
                        throw new UsageException("--all and --multi-arch system contradict each other: give one");
                    }
                }
                case "all" -> {
                }
                case "index-only" -> throw new UsageException("--multi-arch index-only is not supported: a registry "
                        + "refuses an index whose manifests it lacks; use --multi-arch all");
                default -> throw new UsageException("--multi-arch takes system or all, not '" + multiArch + "'");
            }
        }
        if (parallel < 1 || parallel > 64) {
            throw new UsageException("--parallel takes a number from 1 to 64");
        }
        perLayer();
        if (perRegistry != null && (perRegistry < 1 || perRegistry > RangeOptions.MAX_PER_REGISTRY)) {
            throw new UsageException("--max-connections-per-registry takes a number from 1 to 256");
        }
        if (ByteSizes.parse("--concurrent-layer-fetch-buffer", chunkSize) < RangeOptions.MIN_CHUNK_SIZE) {
            throw new UsageException("--concurrent-layer-fetch-buffer takes at least 4KiB");
        }
        ByteSizes.parse("--ranged-fetch-threshold", threshold);
        json();
        if (digestFile != null) {
            Path parent = digestFile.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent) || Files.isDirectory(digestFile)) {
                throw new UsageException("--digestfile " + digestFile + ": "
                        + (Files.isDirectory(digestFile) ? "is a directory" : "its directory does not exist"));
            }
        }
    }
}
