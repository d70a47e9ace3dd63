package dev.ferry.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** The {@code ferry} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(out, err, args);
        out.flush();
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(System.in, out, err, System.getenv(), args);
    }

    /** As {@link #run(PrintStream, PrintStream, String...)}, with standard input and the environment given. */
    public static int run(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        FerryCommand root = new FerryCommand(in, out, err, env);
        CommandLine cli = new CommandLine(root.spec());
        // Every registered subcommand's model is built up front; a command line that names one
        // needs only that one, and start-up is what users wait for.
        String named = java.util.Arrays.stream(args).filter(FerryCommand.SUBCOMMANDS::containsKey).findFirst().orElse(null);
        FerryCommand.SUBCOMMANDS.forEach((name, command) -> {
            // The completion script describes every command, so that one needs them all.
            if (named == null || name.equals(named) || named.equals(FerryCommand.COMPLETION)) {
                cli.addSubcommand(name, command.apply(root));
                // The failure message says "Try 'ferry COMMAND --help'": every command must know it.
                Specs.standardHelp(cli.getSubcommands().get(name).getCommandSpec());
            }
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> Failures.report(e, root.debug, err,
                credentialsHint(commandLine.getCommand(), e), describer(commandLine.getCommand())));
        cli.setParameterExceptionHandler((e, args2) -> {
            err.println("ferry: " + TerminalText.line(e.getMessage()));
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return cli.execute(args);
    }

    /** How a command's messages name what the user named (an archive rather than its work directory). */
    private static UnaryOperator<String> describer(Object command) {
        return switch (command) {
            case CopyCommand copy -> copy::describe;
            case InspectCommand inspect -> inspect::describe;
            case VerifyCommand verify -> verify::describe;
            default -> UnaryOperator.identity();
        };
    }

    /** What to check when a registry refuses: the options (or the login) the credentials came from. */
    private static String credentialsHint(Object command, Exception failure) {
        return switch (command) {
            case CopyCommand copy -> copy.credentialsOption(failure);
            case LoginCommand _ -> "the user name and password";
            default -> "--creds, --authfile or ferry login";
        };
    }
}
