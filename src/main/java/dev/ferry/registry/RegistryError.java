package dev.ferry.registry;

import dev.ferry.json.JsonTrees;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** One entry of the distribution spec's error body: {@code {"errors":[{"code","message"}]}}. */
public record RegistryError(String code, String message) {

    /** The errors in a body, or an empty list when it is not the spec's error shape. */
    static List<RegistryError> parseBody(byte[] body) {
        try {
            // The streaming reader: an error answer should not cost the object mapper's set-up.
            JsonNode root = JsonTrees.read(body);
            JsonNode errors = root == null ? null : root.get("errors");
            if (errors == null || !errors.isArray()) {
                return List.of();
            }
            return errors.valueStream()
                    .map(e -> new RegistryError(text(e, "code"), text(e, "message")))
                    .toList();
        } catch (JacksonException e) {
            return List.of();
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    @Override
    public String toString() {
        return message == null || message.isEmpty() ? code : code + ": " + message;
    }
}
