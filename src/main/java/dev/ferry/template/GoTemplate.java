package dev.ferry.template;

import dev.ferry.template.Node.Block;
import dev.ferry.template.Node.Command;
import dev.ferry.template.Node.Field;
import dev.ferry.template.Node.Function;
import dev.ferry.template.Node.Literal;
import dev.ferry.template.Node.Nested;
import dev.ferry.template.Node.Operand;
import dev.ferry.template.Node.Pipeline;
import dev.ferry.template.Node.Print;
import dev.ferry.template.Node.Root;
import dev.ferry.template.Node.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;

/**
 * The part of Go's text/template that {@code skopeo inspect --format} users write, applied to JSON:
 * {@code {{.Field.Sub}}}, {@code {{.}}}, {@code $}, pipelines with {@code |}, parentheses, string and
 * number literals, {@code if}/{@code with}/{@code range} with {@code else}, {@code {{- -}}} trimming,
 * comments, and the functions index, len, printf, print, println, json, join, lower, upper, not, and,
 * or, eq and ne. Anything else is refused when the template is parsed, before any work is done.
 *
 * <p>A field the data's top level lacks is an error, as a missing struct field is in Go; a missing
 * key deeper down prints {@code <no value>}, as a missing map key does.
 */
public final class GoTemplate {

    private final List<Node> nodes;

    private GoTemplate(List<Node> nodes) {
        this.nodes = nodes;
    }

    public static GoTemplate parse(String text) throws TemplateException {
        return new GoTemplate(TemplateParser.parse(text));
    }

    public String render(JsonNode data) throws TemplateException {
        StringBuilder out = new StringBuilder();
        new Run(data, out).nodes(nodes, data);
        return out.toString();
    }

    /** One rendering: the data {@code $} names, and the output so far. */
    private record Run(JsonNode root, StringBuilder out) {

        void nodes(List<Node> list, JsonNode dot) throws TemplateException {
            for (Node node : list) {
                switch (node) {
                    case Text text -> out.append(text.text());
                    case Print print -> out.append(Functions.print(pipeline(print.pipeline(), dot)));
                    case Block block -> block(block, dot);
                }
            }
        }

        private void block(Block block, JsonNode dot) throws TemplateException {
            JsonNode value = pipeline(block.pipeline(), dot);
            switch (block.kind()) {
                case IF -> nodes(Functions.truth(value) ? block.body() : block.otherwise(), dot);
                case WITH -> {
                    if (Functions.truth(value)) {
                        nodes(block.body(), value);
                    } else {
                        nodes(block.otherwise(), dot);
                    }
                }
                case RANGE -> {
                    if (value.isArray() && !value.isEmpty()) {
                        for (JsonNode item : value) {
                            nodes(block.body(), item);
                        }
                    } else if (value.isObject() && !value.isEmpty()) {
                        for (String key : new TreeSet<>(value.propertyNames())) {
                            nodes(block.body(), value.get(key));
                        }
                    } else if (value.isContainer() || value.isMissingNode() || value.isNull()) {
                        nodes(block.otherwise(), dot);
                    } else {
                        throw new TemplateException("range can't iterate over " + Functions.kind(value)
                                + " (" + block.pipeline().source() + ")");
                    }
                }
            }
        }

        private JsonNode pipeline(Pipeline pipeline, JsonNode dot) throws TemplateException {
            JsonNode piped = null;
            for (Command command : pipeline.commands()) {
                piped = command(command, dot, piped, pipeline);
            }
            return piped;
        }

        private JsonNode command(Command command, JsonNode dot, JsonNode piped, Pipeline pipeline) throws TemplateException {
            List<Operand> operands = command.operands();
            if (operands.getFirst() instanceof Function function) {
                List<JsonNode> args = new ArrayList<>();
                for (Operand operand : operands.subList(1, operands.size())) {
                    args.add(operand(operand, dot));
                }
                if (piped != null) {
                    args.add(piped);
                }
                return Functions.call(function.name(), args);
            }
            if (operands.size() > 1 || piped != null) {
                throw new TemplateException("only a function takes arguments: {{" + pipeline.source() + "}}");
            }
            return operand(operands.getFirst(), dot);
        }

        private JsonNode operand(Operand operand, JsonNode dot) throws TemplateException {
            return switch (operand) {
                case Field field -> field(dot, field.path());
                case Root r -> field(root, r.path());
                case Nested nested -> pipeline(nested.pipeline(), dot);
                case Literal literal -> switch (literal.value()) {
                    case null -> JsonNodeFactory.instance.nullNode();
                    case String s -> JsonNodeFactory.instance.stringNode(s);
                    case Long l -> JsonNodeFactory.instance.numberNode(l);
                    case Double d -> JsonNodeFactory.instance.numberNode(d);
                    case Boolean b -> JsonNodeFactory.instance.booleanNode(b);
                    default -> throw new IllegalStateException("literal " + literal.value());
                };
                case Function function -> throw new TemplateException("function \"" + function.name()
                        + "\" used as a value: write ({{" + function.name() + " ...}}) with its arguments");
            };
        }

        private JsonNode field(JsonNode from, List<String> path) throws TemplateException {
            JsonNode value = from;
            for (String name : path) {
                if (value.isObject()) {
                    JsonNode child = value.get(name);
                    if (child == null && value == root) {
                        throw new TemplateException("there is no field " + name + " (there are "
                                + String.join(", ", root.propertyNames()) + ")");
                    }
                    value = child == null ? MissingNode.getInstance() : child;
                } else if (value.isMissingNode() || value.isNull()) {
                    return MissingNode.getInstance();
                } else {
                    throw new TemplateException("can't evaluate field " + name + " in " + Functions.kind(value));
                }
            }
            return value;
        }
    }
}
