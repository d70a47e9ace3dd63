package dev.ferry.template;

import java.util.List;

/** The parsed template: text, actions that print a pipeline, and the blocks if, with and range. */
sealed interface Node {

    record Text(String text) implements Node {
    }

    record Print(Pipeline pipeline) implements Node {
    }

    /** {@code if}, {@code with} and {@code range}: a pipeline, its body, and an optional {@code else} body. */
    record Block(Kind kind, Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {
        enum Kind { IF, WITH, RANGE }
    }

    /** Commands joined by {@code |}: each one's value becomes the last argument of the next. */
    record Pipeline(List<Command> commands, String source) {
    }

    /** A function and its arguments, or a single operand. */
    record Command(List<Operand> operands) {
    }

    sealed interface Operand {
    }

    /** {@code .}, {@code .A.B}: a path from the current value; an empty path is the value itself. */
    record Field(List<String> path) implements Operand {
    }

    /** {@code $.A}: a path from the data the template was given. */
    record Root(List<String> path) implements Operand {
    }

    record Literal(Object value) implements Operand {
    }

    record Function(String name) implements Operand {
    }

    record Nested(Pipeline pipeline) implements Operand {
    }
}
