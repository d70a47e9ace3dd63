package dev.ferry.json;

import dev.ferry.digest.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Typed reads of a tree's fields with the mapper's leniency (what {@link Json#MAPPER} would bind
 * into a record): an absent or null field is null (0, false), a number or boolean where text is
 * expected is its text, a whole number in a string is a number. Anything else is refused with
 * an {@link IllegalArgumentException} naming the field.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** The field of an object node; null when the node is not an object or has no such field. */
    public static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return null;
        }
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : value;
    }

    /** The node as text; null for null. */
    public static String string(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asString();
        }
        throw refused(what, "text", node);
    }

    public static String string(JsonNode object, String name, String what) {
        return string(field(object, name), what + "." + name);
    }

    /** The field as a whole number; 0 when absent or null. */
    public static long longValue(JsonNode object, String name, String what) {
        JsonNode node = field(object, name);
        if (node == null) {
            return 0;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber() && Math.abs(node.doubleValue()) < 0x1p63) {
            return (long) node.doubleValue(); // the mapper truncates a fraction too
        }
        if (node.isString()) {
            try {
                return Long.parseLong(node.stringValue().trim());
            } catch (NumberFormatException e) {
                throw refused(what + "." + name, "a whole number", node);
            }
        }
        throw refused(what + "." + name, "a whole number", node);
    }

    /** The field as a boolean; false when absent or null. */
    public static boolean bool(JsonNode object, String name, String what) {
        JsonNode node = field(object, name);
        if (node == null) {
            return false;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString() && (node.stringValue().equals("true") || node.stringValue().equals("false"))) {
            return node.stringValue().equals("true");
        }
        if (node.isIntegralNumber()) {
            return node.asLong() != 0;
        }
        throw refused(what + "." + name, "true or false", node);
    }

    /** The field as a digest; null when absent or null. */
    public static Digest digest(JsonNode object, String name, String what) {
        String text = string(object, name, what);
        return text == null ? null : Digest.parse(text);
    }

    /** The field as a list of text (null elements kept); null when absent or null. */
    public static List<String> strings(JsonNode object, String name, String what) {
        JsonNode node = field(object, name);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw refused(what + "." + name, "a list", node);
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            values.add(string(element, what + "." + name));
        }
        return values;
    }

    /** The field as an object of text values, in the document's order; null when absent or null. */
    public static Map<String, String> stringMap(JsonNode object, String name, String what) {
        return stringMap(field(object, name), what + "." + name);
    }

    /** The node as an object of text values, in the document's order; null for null. */
    public static Map<String, String> stringMap(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw refused(what, "an object", node);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            values.put(entry.getKey(), string(entry.getValue(), what + "." + entry.getKey()));
        }
        return values;
    }

    /** Each element of the field's list, read by the reader; null when absent or null. */
    public static <T> List<T> list(JsonNode object, String name, String what, java.util.function.Function<JsonNode, T> reader) {
        JsonNode node = field(object, name);
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            throw refused(what + "." + name, "a list", node);
        }
        List<T> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            values.add(element.isNull() ? null : reader.apply(element));
        }
        return values;
    }

    /** Requires an object node (or null) where a record is expected. */
    public static JsonNode object(JsonNode node, String what) {
        if (node != null && !node.isNull() && !node.isObject()) {
            throw refused(what, "an object", node);
        }
        return node == null || node.isNull() ? null : node;
    }

    private static IllegalArgumentException refused(String what, String expected, JsonNode node) {
        return new IllegalArgumentException(what + ": expected " + expected + ", found " + node.getNodeType().name()
                .toLowerCase(java.util.Locale.ROOT));
    }
}
