package dev.ferry.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ferry.digest.Digest;
import dev.ferry.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * inspect prints {@link Inspection#tree()}, built by hand; the record's Jackson annotations describe
 * the same JSON for library users. Both must agree, field order and left-out fields included.
 */
class InspectionTreeTest {

    private static final Digest A = Digest.sha256("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.sha256("b".getBytes(StandardCharsets.UTF_8));

    static Stream<Inspection> inspections() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("z", "1");
        labels.put("a", null);
        return Stream.of(
                new Inspection("reg/app", A, List.of("1", "latest"), "2024-01-01T00:00:00Z", "", labels, "arm", "v7",
                        "linux", List.of(A), List.of(new Inspection.LayerData("t", A, 12, Map.of("k", "v"), B),
                                new Inspection.LayerData("t", B, 0, null, null)), List.of("PATH=/bin"), B, "m",
                        List.of(new Inspection.HistoryEntry("2024", "RUN x", null, "c", false, 0, A),
                                new Inspection.HistoryEntry(null, null, "me", null, true, null, null)),
                        List.of(new Inspection.PlatformEntry("linux", "amd64", "", A, "m", null),
                                new Inspection.PlatformEntry("linux", "arm", "v7", B, "m", A))),
                new Inspection(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null),
                new Inspection("x", A, List.of(), null, null, Map.of(), "amd64", "", "linux", List.of(), List.of(),
                        Arrays.asList("A=1", null), A, "m", List.of(), List.of()));
    }

    @ParameterizedTest
    @MethodSource("inspections")
    void theHandBuiltTreeIsWhatTheObjectMapperMakesOfTheRecord(Inspection inspection) {
        assertEquals(Json.MAPPER.writeValueAsString(inspection), Json.MAPPER.writeValueAsString(inspection.tree()));
    }
}
