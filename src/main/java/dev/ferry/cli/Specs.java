package dev.ferry.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;

/**
 * Builds the command line's model by hand, with picocli's programmatic API. Reading picocli's
 * annotations by reflection makes the JDK generate a proxy class for every annotation type at
 * start-up, and the AOT cache cannot hold such classes: they cost inspect a third of its time.
 *
 * <p>Each command declares its options next to its fields, bound to them by a setter; the values
 * are those picocli's annotations would have found (a field's initial value, the same defaults).
 */
final class Specs {

    /** The key picocli files its own {@code --help} and {@code --version} under. */
    private static final String STANDARD_HELP = "mixinStandardHelpOptions";

    private Specs() {
    }

    /** A command's model: its name, whether help sorts its options, and its description lines. */
    static CommandSpec command(Object command, String name, boolean sortOptions, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        spec.usageMessage().sortOptions(sortOptions).description(description);
        return spec;
    }

    /** Lines that show how the command is used, under the heading "Examples:". */
    static void examples(CommandSpec spec, String... lines) {
        spec.usageMessage().footerHeading("%nExamples:%n").footer(lines);
    }

    /** Adds the options, in the order given (the order help lists them in, unless sorted). */
    static void add(CommandSpec spec, OptionSpec.Builder... options) {
        for (OptionSpec.Builder option : options) {
            spec.addOption(option.build());
        }
    }

    static void add(CommandSpec spec, PositionalParamSpec.Builder... parameters) {
        for (PositionalParamSpec.Builder parameter : parameters) {
            // Required unless it may be left out, as picocli's annotations decide it.
            Range arity = parameter.arity();
            spec.addPositional(parameter.required(arity == null || arity.min() > 0).build());
        }
    }

    /** picocli's {@code -h, --help} and {@code -V, --version}, as {@code mixinStandardHelpOptions} adds them. */
    static void standardHelp(CommandSpec spec) {
        if (spec.mixins().containsKey(STANDARD_HELP)) {
            return;
        }
        CommandSpec help = CommandSpec.create();
        help.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class)
                .descriptionKey("mixinStandardHelpOptions.help").description("Show this help message and exit.").build());
        help.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class)
                .descriptionKey("mixinStandardHelpOptions.version").description("Print version information and exit.")
                .build());
        spec.addMixin(STANDARD_HELP, help);
    }

    /** A flag: true when given (or {@code --flag=true|false} where the arity allows a value). */
    static OptionSpec.Builder flag(Consumer<Boolean> field, String... names) {
        return bind(OptionSpec.builder(names).type(boolean.class), false, field);
    }

    static OptionSpec.Builder text(Consumer<String> field, String... names) {
        return bind(OptionSpec.builder(names).type(String.class), null, field);
    }

    static OptionSpec.Builder number(Consumer<Integer> field, String... names) {
        return bind(OptionSpec.builder(names).type(int.class), 0, field);
    }

    /** A number that is null when the option is not given: the command works out its default. */
    static OptionSpec.Builder optionalNumber(Consumer<Integer> field, String... names) {
        return bind(OptionSpec.builder(names).type(Integer.class), null, field);
    }

    static OptionSpec.Builder path(Consumer<Path> field, String... names) {
        return bind(OptionSpec.builder(names).type(Path.class), null, field);
    }

    /** An option that may be repeated, each value added to the list. */
    static OptionSpec.Builder texts(Consumer<List<String>> field, String... names) {
        return bind(OptionSpec.builder(names).type(List.class).auxiliaryTypes(String.class), null, field);
    }

    /** The positional parameter at {@code index} (e.g. "0"), of the field's type. */
    static <T> PositionalParamSpec.Builder parameter(Class<T> type, Consumer<T> field, String index) {
        return bind(PositionalParamSpec.builder().index(index).type(type), null, field);
    }

    /** The positional parameters from {@code index} on (e.g. "0..*"), each added to the list. */
    static PositionalParamSpec.Builder parameters(Consumer<List<String>> field, String index) {
        return bind(PositionalParamSpec.builder().index(index).type(List.class).auxiliaryTypes(String.class), null, field);
    }

    private static OptionSpec.Builder bind(OptionSpec.Builder builder, Object initial, Consumer<?> field) {
        Binding binding = new Binding(field);
        return builder.initialValue(initial).getter(binding).setter(binding);
    }

    private static PositionalParamSpec.Builder bind(PositionalParamSpec.Builder builder, Object initial,
            Consumer<?> field) {
        Binding binding = new Binding(field);
        return builder.initialValue(initial).getter(binding).setter(binding);
    }

    /**
     * One option's value: picocli sets it and reads it back (to add to a list); each value set is
     * passed on to the command's field. One class for every option: only the field's setter differs.
     */
    private static final class Binding implements IGetter, ISetter {

        private final Consumer<Object> field;
        private Object value;

        @SuppressWarnings("unchecked")
        Binding(Consumer<?> field) {
            this.field = (Consumer<Object>) field;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) value;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T newValue) {
            Object old = value;
            value = newValue;
            field.accept(newValue);
            return (T) old;
        }
    }
}
