package dev.ferry.cli;

import dev.ferry.Ferry;
import dev.ferry.history.HistoryRow;
import dev.ferry.history.ImageHistory;
import dev.ferry.json.Json;
import dev.ferry.location.ImageLocation;
import dev.ferry.template.GoTemplate;
import dev.ferry.template.TemplateException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import tools.jackson.databind.ObjectWriter;
import picocli.CommandLine.Model.CommandSpec;

final class HistoryCommand implements Callable<Integer> {

    final FerryCommand root;
    final RegistryOptions registry;
    final PlatformOptions platform = new PlatformOptions();
    boolean noTrunc;
    boolean sizes;
    boolean allPlatforms;
    String format;
    String image;

    HistoryCommand(FerryCommand root) {
        this.root = root;
        registry = new RegistryOptions(root);
    }

    /** The command's model: its usage text, and its options bound to the fields above. */
    CommandSpec spec() {
        CommandSpec spec = Specs.command(this, "history", false,
                "Show an image's history as docker history does, without pulling it into a daemon: IMAGE (the "
                + "image ID on the top row, <missing> below), CREATED, CREATED BY, SIZE, COMMENT, and per row the "
                + "layer digest, diff_id and chain ID.",
                "SIZE is the layer's compressed size unless --sizes streams each layer once (verified, nothing written) "
                + "to add up its files, which is what docker history shows.");
        Specs.examples(spec, "  ferry history docker://reg.example/app:1.0",
                "  ferry history --sizes --no-trunc --format json docker-archive:app.tar");
        registry.addTo(spec);
        platform.addTo(spec);
        Specs.add(spec, Specs.flag(v -> noTrunc = v, "--no-trunc")
                .description("Do not truncate IDs and CREATED BY; CREATED as a date."),
            Specs.flag(v -> sizes = v, "--sizes")
                .description("Read every layer once to show the sum of its file sizes, as Docker does."),
            Specs.flag(v -> allPlatforms = v, "--all-platforms")
                .description("Show the history of every platform of a multi-platform image."),
            Specs.text(v -> format = v, "--format").paramLabel("json|TEMPLATE")
                .description("json: one JSON object per row (Docker's fields and ferry's); or a Go template per row."));
        Specs.add(spec, Specs.parameter(String.class, v -> image = v, "0").paramLabel("IMAGE")
                .description("docker://REFERENCE, oci:DIR[:NAME], oci-archive:FILE[:NAME] or "
                    + "docker-archive:FILE[:NAME:TAG|:@INDEX]"));
        return spec;
    }

    /** Built on first use: only --format json needs the object mapper, which --help and the table avoid. */
    private static final class Line {
        static final ObjectWriter WRITER = Json.MAPPER.writer().with(new JsonOutput.TerminalSafe());
    }

    @Override
    public Integer call() throws Exception {
        GoTemplate template = null;
        if (format != null && !format.equals("json")) {
            String text = format.replace("\\t", "\t");
            try {
                template = GoTemplate.parse(text.endsWith("\n") ? text : text + "\n");
            } catch (TemplateException e) {
                throw new UsageException("--format: " + e.getMessage());
            }
        }
        ImageLocation location = registry.location(image);
        List<ImageHistory> histories;
        try (Ferry ferry = root.ferry()) {
            histories = ferry.history(location, platform.platform(), allPlatforms, sizes);
        }
        Instant now = Instant.now();
        boolean table = format == null;
        Table rows = new Table();
        if (table) {
            List<String> head = new java.util.ArrayList<>(List.of("IMAGE", "CREATED", "CREATED BY",
                    sizes ? "SIZE" : "COMPRESSED SIZE", "COMMENT", "LAYER", "DIFF ID", "CHAIN ID"));
            if (allPlatforms) {
                head.add("PLATFORM");
            }
            rows.add(head);
        }
        for (ImageHistory history : histories) {
            for (HistoryRow row : history.rows()) {
                Map<String, Object> fields = fields(history, row, now);
                if (table) {
                    List<String> cells = new java.util.ArrayList<>(List.of(cell(fields, "ID"), cell(fields,
                            noTrunc ? "CreatedAt" : "CreatedSince"), cell(fields, "CreatedBy"), cell(fields, "Size"),
                            cell(fields, "Comment"), cell(fields, "Layer"), cell(fields, "DiffID"),
                            cell(fields, "ChainID")));
                    if (allPlatforms) {
                        cells.add(cell(fields, "Platform"));
                    }
                    rows.add(cells);
                } else if (template == null) {
                    root.out.println(Line.WRITER.writeValueAsString(fields));
                } else {
                    try {
                        root.out.print(template.render(TerminalText.values(Json.MAPPER.valueToTree(fields))));
                    } catch (TemplateException e) {
                        throw new UsageException("--format: " + e.getMessage());
                    }
                }
            }
        }
        if (table) {
            rows.print(root.out);
        }
        root.out.flush();
        return ExitCodes.OK;
    }

    private static String cell(Map<String, Object> fields, String key) {
        Object value = fields.get(key);
        return value == null ? "" : value.toString();
    }

    /** Docker's fields ({@code docker history --format '{{json .}}'}) first, then ferry's. */
    private Map<String, Object> fields(ImageHistory history, HistoryRow row, Instant now) {
        boolean trunc = noTrunc ? false : format == null;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Comment", row.comment());
        f.put("CreatedAt", row.created() == null ? "" : HistoryText.createdAt(row.created()));
        String createdBy = row.createdBy().replace("\t", " ");
        f.put("CreatedBy", trunc ? HistoryText.ellipsis(createdBy, 45) : createdBy);
        f.put("CreatedSince", row.created() == null ? "N/A" : HistoryText.since(row.created(), now));
        f.put("ID", trunc && !row.id().startsWith("<") ? HistoryText.shortId(row.id()) : row.id());
        f.put("Size", HistoryText.size(row.size()));
        f.put("SizeBytes", row.size());
        f.put("SizeKind", row.emptyLayer() ? "empty" : row.filesSized() ? "files" : "compressed");
        f.put("EmptyLayer", row.emptyLayer());
        f.put("Layer", digest(row.layer(), trunc));
        f.put("DiffID", digest(row.diffId(), trunc));
        f.put("ChainID", digest(row.chainId(), trunc));
        if (history.platform() != null) {
            f.put("Platform", history.platform());
        }
        return f;
    }

    private static String digest(dev.ferry.digest.Digest digest, boolean trunc) {
        if (digest == null) {
            return trunc ? "-" : "";
        }
        return trunc ? digest.shortHex() : digest.toString();
    }
}
