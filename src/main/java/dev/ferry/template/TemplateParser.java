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

/** Turns template text into nodes: the text between actions, and each action's pipeline or keyword. */
final class TemplateParser {

    /** One action's text between its delimiters, trim markers removed. */
    private record Action(String body) {
    }

    private final List<Object> items = new ArrayList<>();
    private int next;

    private TemplateParser(String text) throws TemplateException {
        split(text);
    }

    static List<Node> parse(String text) throws TemplateException {
        TemplateParser parser = new TemplateParser(text);
        List<Node> nodes = new ArrayList<>();
        String end = parser.list(nodes);
        if (end != null) {
            throw new TemplateException("unexpected {{" + end + "}}");
        }
        return nodes;
    }

    /** Splits the text into strings and actions, applying {@code {{-} and {@code -}}} trimming. */
    private void split(String text) throws TemplateException {
        int at = 0;
        boolean trimNext = false;
        while (true) {
            int open = text.indexOf("{{", at);
            String before = open < 0 ? text.substring(at) : text.substring(at, open);
            if (trimNext) {
                before = before.stripLeading();
            }
            if (open < 0) {
                addText(before);
                return;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new TemplateException("unclosed action: " + text.substring(open));
            }
            String body = text.substring(open + 2, close);
            if (body.startsWith("- ") || body.startsWith("-\t") || body.startsWith("-\n")) {
                before = before.stripTrailing();
                body = body.substring(1);
            }
            trimNext = body.endsWith(" -") || body.endsWith("\t-") || body.endsWith("\n-");
            if (trimNext) {
                body = body.substring(0, body.length() - 1);
            }
            addText(before);
            String trimmed = body.strip();
            if (!(trimmed.startsWith("/*") && trimmed.endsWith("*/"))) {
                items.add(new Action(trimmed));
            }
            at = close + 2;
        }
    }

    private void addText(String text) {
        if (!text.isEmpty()) {
            items.add(text);
        }
    }

    /** Parses nodes into {@code into} up to an {@code else} or {@code end}, which it returns (null at the end). */
    private String list(List<Node> into) throws TemplateException {
        while (next < items.size()) {
            Object item = items.get(next++);
            if (item instanceof String text) {
                into.add(new Text(text));
                continue;
            }
            String body = ((Action) item).body();
            String keyword = body.split("[\\s(]", 2)[0];
            switch (keyword) {
                case "end", "else" -> {
                    if (!body.equals(keyword)) {
                        throw new TemplateException("{{" + body + "}} is not supported: only {{" + keyword + "}}");
                    }
                    return keyword;
                }
                case "if", "with", "range" -> into.add(block(keyword, body.substring(keyword.length()).strip()));
                case "define", "template", "block", "break", "continue" ->
                        throw new TemplateException("{{" + keyword + "}} is not supported");
                case "" -> throw new TemplateException("empty action {{}}");
                default -> into.add(new Print(pipeline(body)));
            }
        }
        return null;
    }

    private Block block(String keyword, String source) throws TemplateException {
        if (source.isEmpty()) {
            throw new TemplateException("{{" + keyword + "}} needs a value");
        }
        Block.Kind kind = Block.Kind.valueOf(keyword.toUpperCase(java.util.Locale.ROOT));
        Pipeline pipeline = pipeline(source);
        List<Node> body = new ArrayList<>();
        List<Node> otherwise = new ArrayList<>();
        String end = list(body);
        if ("else".equals(end)) {
            end = list(otherwise);
        }
        if (!"end".equals(end)) {
            throw new TemplateException("{{" + keyword + " " + source + "}} has no {{end}}");
        }
        return new Block(kind, pipeline, List.copyOf(body), List.copyOf(otherwise));
    }

    private static Pipeline pipeline(String source) throws TemplateException {
        Lexer lexer = new Lexer(source);
        Pipeline pipeline = lexer.pipeline();
        if (!lexer.atEnd()) {
            throw new TemplateException("unexpected '" + source.substring(lexer.at) + "' in {{" + source + "}}");
        }
        return pipeline;
    }

    /** Reads one action's pipeline: operands, function names, literals, {@code |} and parentheses. */
    private static final class Lexer {
        private final String s;
        private int at;

        Lexer(String s) {
            this.s = s;
        }

        boolean atEnd() {
            skipSpace();
            return at >= s.length();
        }

        private void skipSpace() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        Pipeline pipeline() throws TemplateException {
            int start = at;
            List<Command> commands = new ArrayList<>();
            while (true) {
                List<Operand> operands = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (at >= s.length() || s.charAt(at) == '|' || s.charAt(at) == ')') {
                        break;
                    }
                    operands.add(operand());
                }
                if (operands.isEmpty()) {
                    throw new TemplateException("missing value in {{" + s + "}}");
                }
                commands.add(new Command(List.copyOf(operands)));
                if (at < s.length() && s.charAt(at) == '|') {
                    at++;
                    continue;
                }
                return new Pipeline(List.copyOf(commands), s.substring(start, at).strip());
            }
        }

        private Operand operand() throws TemplateException {
            char c = s.charAt(at);
            if (c == '(') {
                at++;
                Pipeline inner = pipeline();
                if (at >= s.length() || s.charAt(at) != ')') {
                    throw new TemplateException("unclosed '(' in {{" + s + "}}");
                }
                at++;
                return new Nested(inner);
            }
            if (c == '.') {
                return new Field(path());
            }
            if (c == '$') {
                at++;
                return new Root(at < s.length() && s.charAt(at) == '.' ? path() : List.of());
            }
            if (c == '"') {
                return new Literal(quoted());
            }
            if (c == '`') {
                int close = s.indexOf('`', at + 1);
                if (close < 0) {
                    throw new TemplateException("unclosed raw string in {{" + s + "}}");
                }
                String raw = s.substring(at + 1, close);
                at = close + 1;
                return new Literal(raw);
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = at++;
                while (at < s.length() && (Character.isDigit(s.charAt(at)) || s.charAt(at) == '.')) {
                    at++;
                }
                String number = s.substring(start, at);
                try {
                    return new Literal(number.contains(".") ? (Object) Double.parseDouble(number) : (Object) Long.parseLong(number));
                } catch (NumberFormatException e) {
                    throw new TemplateException("bad number " + number + " in {{" + s + "}}");
                }
            }
            if (Character.isLetter(c) || c == '_') {
                String name = identifier();
                return switch (name) {
                    case "true" -> new Literal(Boolean.TRUE);
                    case "false" -> new Literal(Boolean.FALSE);
                    case "nil" -> new Literal(null);
                    default -> {
                        if (!Functions.exists(name)) {
                            throw new TemplateException("function \"" + name + "\" not defined (there are "
                                    + String.join(", ", Functions.names()) + ")");
                        }
                        yield new Function(name);
                    }
                };
            }
            throw new TemplateException("unexpected '" + c + "' in {{" + s + "}}");
        }

        /** {@code .} or {@code .A.B}: the names after each dot. */
        private List<String> path() throws TemplateException {
            List<String> names = new ArrayList<>();
            while (at < s.length() && s.charAt(at) == '.') {
                at++;
                if (at >= s.length() || !(Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_')) {
                    if (names.isEmpty()) {
                        return List.of();
                    }
                    throw new TemplateException("a field name must follow '.' in {{" + s + "}}");
                }
                names.add(identifier());
            }
            return List.copyOf(names);
        }

        private String identifier() {
            int start = at;
            while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_')) {
                at++;
            }
            return s.substring(start, at);
        }

        private String quoted() throws TemplateException {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < s.length()) {
                char c = s.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= s.length()) {
                    break;
                }
                char e = s.charAt(at++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '\\', '"' -> out.append(e);
                    default -> throw new TemplateException("unknown escape \\" + e + " in {{" + s + "}}");
                }
            }
            throw new TemplateException("unclosed string in {{" + s + "}}");
        }
    }
}
