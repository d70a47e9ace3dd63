package dev.ferry.template;

import dev.ferry.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The functions a template may call, as Go's text/template and containers/common's report package
 * define them, and how values print (Go's {@code %v} for the JSON shapes an inspection has).
 */
final class Functions {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> NAMES = new TreeSet<>(List.of(
            "index", "len", "json", "printf", "print", "println", "join", "lower", "upper", "not", "and", "or", "eq", "ne"));

    private Functions() {
    }

    static boolean exists(String name) {
        return NAMES.contains(name);
    }

    static Set<String> names() {
        return NAMES;
    }

    static JsonNode call(String name, List<JsonNode> args) throws TemplateException {
        return switch (name) {
            case "index" -> index(args);
            case "len" -> {
                JsonNode value = one(name, args);
                if (value.isString()) {
                    yield NODES.numberNode(value.stringValue().length());
                }
                if (!value.isContainer()) {
                    throw new TemplateException("len of " + kind(value));
                }
                yield NODES.numberNode(value.size());
            }
            case "json" -> NODES.stringNode(Json.MAPPER.writeValueAsString(one(name, args).isMissingNode()
                    ? NODES.nullNode() : one(name, args)));
            case "printf" -> {
                if (args.isEmpty() || !args.getFirst().isString()) {
                    throw new TemplateException("printf needs a format string first");
                }
                yield NODES.stringNode(GoFormat.sprintf(args.getFirst().stringValue(), args.subList(1, args.size())));
            }
            case "print" -> NODES.stringNode(args.stream().map(Functions::print).collect(Collectors.joining(" ")));
            case "println" -> NODES.stringNode(args.stream().map(Functions::print).collect(Collectors.joining(" ")) + "\n");
            case "join" -> {
                if (args.size() != 2 || !args.get(0).isArray()) {
                    throw new TemplateException("join takes a list and a separator");
                }
                List<String> parts = new ArrayList<>();
                args.get(0).forEach(v -> parts.add(print(v)));
                yield NODES.stringNode(String.join(print(args.get(1)), parts));
            }
            case "lower" -> NODES.stringNode(print(one(name, args)).toLowerCase(Locale.ROOT));
            case "upper" -> NODES.stringNode(print(one(name, args)).toUpperCase(Locale.ROOT));
            case "not" -> NODES.booleanNode(!truth(one(name, args)));
            case "and" -> {
                JsonNode last = NODES.booleanNode(true);
                for (JsonNode arg : args) {
                    last = arg;
                    if (!truth(arg)) {
                        break;
                    }
                }
                yield last;
            }
            case "or" -> {
                JsonNode last = NODES.booleanNode(false);
                for (JsonNode arg : args) {
                    last = arg;
                    if (truth(arg)) {
                        break;
                    }
                }
                yield last;
            }
            case "eq", "ne" -> {
                if (args.size() < 2) {
                    throw new TemplateException(name + " takes two values");
                }
                boolean equal = args.subList(1, args.size()).stream().anyMatch(v -> same(args.getFirst(), v));
                yield NODES.booleanNode(name.equals("eq") == equal);
            }
            default -> throw new TemplateException("function \"" + name + "\" not defined");
        };
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.doubleValue() == b.doubleValue();
        }
        return a.equals(b);
    }

    private static JsonNode one(String name, List<JsonNode> args) throws TemplateException {
        if (args.size() != 1) {
            throw new TemplateException(name + " takes one value, not " + args.size());
        }
        return args.getFirst();
    }

    private static JsonNode index(List<JsonNode> args) throws TemplateException {
        if (args.isEmpty()) {
            throw new TemplateException("index needs a value");
        }
        JsonNode value = args.getFirst();
        for (JsonNode key : args.subList(1, args.size())) {
            if (value.isObject()) {
                // Go's index gives a missing map key's zero value; the maps here (labels) hold strings.
                JsonNode child = value.get(print(key));
                value = child == null ? NODES.stringNode("") : child;
            } else if (value.isArray() && key.isIntegralNumber()) {
                if (key.longValue() < 0 || key.longValue() >= value.size()) {
                    throw new TemplateException("index " + key.longValue() + " out of range (" + value.size() + " items)");
                }
                value = value.get((int) key.longValue());
            } else if (value.isMissingNode() || value.isNull()) {
                return NODES.stringNode("");
            } else {
                throw new TemplateException("cannot index " + kind(value) + " with " + print(key));
            }
        }
        return value;
    }

    /** Go's truth: false, 0, nil and empty strings, lists and maps are false. */
    static boolean truth(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        if (value.isString()) {
            return !value.stringValue().isEmpty();
        }
        return value.size() > 0;
    }

    /** A value as Go's {@code %v} prints it: lists as {@code [a b]}, maps as {@code map[k:v]} with sorted keys. */
    static String print(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "<no value>";
        }
        if (value.isNull()) {
            return "<nil>";
        }
        if (value.isString()) {
            return value.stringValue();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(v -> items.add(print(v)));
            return "[" + String.join(" ", items) + "]";
        }
        if (value.isObject()) {
            return "map[" + new TreeSet<>(value.propertyNames()).stream()
                    .map(k -> k + ":" + print(value.get(k))).collect(Collectors.joining(" ")) + "]";
        }
        return value.asString();
    }

    static String kind(JsonNode value) {
        return value.isArray() ? "a list" : value.isObject() ? "a map" : value.isString() ? "a string"
                : value.isNumber() ? "a number" : value.isBoolean() ? "a boolean" : "no value";
    }
}
