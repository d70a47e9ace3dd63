package dev.ferry.json;

import java.io.StringWriter;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON trees read and written with Jackson's streaming core alone. The commands users wait on
 * (inspect, list-tags, history, sync, and any registry error) read small documents and print one: building
 * {@link Json#MAPPER} first costs more than all of that (its date format set-up reads the locale
 * data of every country; each record type is introspected by reflection and built through method
 * handles spun at run time), so these paths walk trees instead. Same limits as the mapper: the
 * factory's default stream-read constraints bound nesting, numbers and strings.
 */
public final class JsonTrees {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTrees() {
    }

    /** The document's one value, as {@link tools.jackson.databind.ObjectMapper#readTree(byte[])} reads it (null when empty). */
    public static JsonNode read(byte[] json) throws JacksonException {
        try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode value = value(parser, first);
            if (parser.nextToken() != null) {
                throw new StreamReadException(parser, "Trailing token (of type " + parser.currentToken()
                        + ") found after value");
            }
            return value;
        }
    }

    private static JsonNode value(JsonParser parser, JsonToken token) {
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    object.set(name, value(parser, parser.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t));
                }
                yield array;
            }
            case VALUE_STRING -> NODES.stringNode(parser.getString());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> {
                // A double, as the mapper reads it; beyond a double's range, the exact decimal.
                double d = parser.getDoubleValue();
                yield Double.isFinite(d) ? NODES.numberNode(d) : NODES.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new StreamReadException(parser, "Unexpected token " + token);
        };
    }

    /** The tree as JSON text, laid out by the printer and escaped by the escapes (either may be null). */
    public static String write(JsonNode tree, PrettyPrinter printer, CharacterEscapes escapes) {
        StringWriter text = new StringWriter();
        ObjectWriteContext context = new ObjectWriteContext.Base() {
            @Override
            public PrettyPrinter getPrettyPrinter() {
                return printer;
            }

            @Override
            public boolean hasPrettyPrinter() {
                return printer != null;
            }

            @Override
            public CharacterEscapes getCharacterEscapes() {
                return escapes;
            }
        };
        try (JsonGenerator generator = FACTORY.createGenerator(context, text)) {
            write(generator, tree);
        }
        return text.toString();
    }

    private static void write(JsonGenerator out, JsonNode node) {
        if (node.isObject()) {
            out.writeStartObject();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                out.writeName(field.getKey());
                write(out, field.getValue());
            }
            out.writeEndObject();
        } else if (node.isArray()) {
            out.writeStartArray();
            for (JsonNode element : node) {
                write(out, element);
            }
            out.writeEndArray();
        } else if (node.isString()) {
            out.writeString(node.stringValue());
        } else if (node.isIntegralNumber()) {
            out.writeNumber(node.bigIntegerValue());
        } else if (node.isNumber()) {
            out.writeNumber(node.decimalValue());
        } else if (node.isBoolean()) {
            out.writeBoolean(node.booleanValue());
        } else {
            out.writeNull();
        }
    }
}
