package dev.ferry.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The mapper-free trees read what the object mapper reads, refuse what it refuses, and write alike. */
class JsonTreesTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"a\":1,\"b\":[true,false,null,\"x\"],\"c\":{\"d\":1.5,\"e\":-12345678901234,\"f\":123456789012345678901234567890}}",
        "[]", "\"text \\u00e9 \\ud83d\\ude00\"", "  {\"dup\":1,\"dup\":2}  ", "0", "null"})
    void readsTheSameTreeAsTheObjectMapper(String json) {
        assertEquals(Json.MAPPER.readTree(utf8(json)), JsonTrees.read(utf8(json)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"a\":1,}", "{'a':1}", "{\"a\":1} {}", "[1] x", "{a:1}", "[01]", "\"\u0001\"", "NaN"})
    void refusesWhatTheObjectMapperRefuses(String json) {
        assertThrows(JacksonException.class, () -> Json.MAPPER.readTree(utf8(json)));
        assertThrows(JacksonException.class, () -> JsonTrees.read(utf8(json)));
    }

    @Test
    void anEmptyDocumentIsNoTree() {
        assertNull(JsonTrees.read(new byte[0]));
    }

    @Test
    void nestingIsBoundedAsTheMapperBoundsIt() {
        char[] open = new char[100_000];
        Arrays.fill(open, '[');
        byte[] deep = utf8(new String(open));
        assertThrows(JacksonException.class, () -> JsonTrees.read(deep));
    }

    @Test
    void writesWhatTheMapperWritesForTheSameTree() {
        JsonNode tree = Json.MAPPER.readTree(utf8("{\"a\":[1,2.5,\"x\\u007f\",null,{}],\"b\":{\"c\":true},\"d\":[]}"));
        assertEquals(Json.MAPPER.writeValueAsString(tree), JsonTrees.write(tree, null, null));
    }

    @Test
    void fieldsAreReadWithTheMappersLeniency() {
        JsonNode o = JsonTrees.read(utf8("{\"n\":\"12\",\"f\":3.9,\"t\":7,\"b\":\"true\",\"m\":{\"k\":1,\"z\":null},"
                + "\"l\":[\"a\",null,2],\"nul\":null}"));
        assertEquals(12, JsonFields.longValue(o, "n", "x"));
        assertEquals(3, JsonFields.longValue(o, "f", "x"));
        assertEquals(0, JsonFields.longValue(o, "nul", "x"));
        assertEquals("7", JsonFields.string(o, "t", "x"));
        assertEquals(true, JsonFields.bool(o, "b", "x"));
        assertEquals(java.util.Arrays.asList("a", null, "2"), JsonFields.strings(o, "l", "x"));
        Map<String, String> m = JsonFields.stringMap(o, "m", "x");
        assertEquals(List.of("k", "z"), List.copyOf(m.keySet()));
        assertEquals("1", m.get("k"));
        assertNull(m.get("z"));
        assertNull(JsonFields.strings(o, "absent", "x"));
        assertThrows(IllegalArgumentException.class, () -> JsonFields.string(o, "m", "x"));
        assertThrows(IllegalArgumentException.class, () -> JsonFields.longValue(o, "l", "x"));
        assertThrows(IllegalArgumentException.class, () -> JsonFields.stringMap(o, "l", "x"));
    }
}
