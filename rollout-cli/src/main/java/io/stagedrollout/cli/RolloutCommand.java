package io.stagedrollout.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import io.stagedrollout.core.plan.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code rollout}: the root command and its global options, accepted before or after the subcommand. */
public final class RolloutCommand implements Callable<Integer>, CommandModel.Declared {
    /** The version the JAR was built as (its manifest), so `rollout --version` names the build that runs. */
    static final class Version implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RolloutCommand.class.getPackage().getImplementationVersion();
            return new String[] {"rollout " + (v == null ? "(development build, not from a packaged JAR)" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor", "?") + ")"};
        }
    }

    /**
     * The subcommands' names, in the order help lists them. Only the one that runs is made and modelled (BENCHMARKS.md,
     * "CLI start-up"); help, completion and a mistyped command see all of them. A new command is a line here and one
     * in {@link #command}.
     */
    static final List<String> COMMANDS = List.of("plan", "run", "start", "advance", "promote", "rollback", "abort",
            "resolve", "status", "history", "list", "store", "report", "replay", "demo", "completion", StartupTraining.NAME);

    /** A new instance of the named subcommand, or null. A switch rather than a map of constructors: no lambda to make at start. */
    static CommandModel.Declared command(String name) {
        return switch (name == null ? "" : name) {
            case "plan" -> new PlanCommand();
            case "run" -> new RunCommand();
            case "start" -> new StartCommand();
            case "advance" -> new AdvanceCommand();
            case "promote" -> new PromoteCommand();
            case "rollback" -> new RollbackCommand();
            case "abort" -> new AbortCommand();
            case "resolve" -> new ResolveCommand();
            case "status" -> new StatusCommand();
            case "history" -> new HistoryCommand();
            case "list" -> new ListCommand();
            case "store" -> new StoreCommand();
            case "report" -> new ReportCommand();
            case "replay" -> new ReplayCommand();
            case "demo" -> new DemoCommand();
            case "completion" -> new CompletionCommand();
            case StartupTraining.NAME -> new StartupTraining();
            default -> null;
        };
    }

    /** Global options that take a value, so that the command word can be found without building the whole model. */
    private static final List<String> VALUE_OPTIONS = List.of("--state-dir", "--store", "--output");

    Path stateDir;
    String store;
    String output = "text";
    CommandSpec spec;

    @Override
    public void declare(CommandModel m) {
        m.command("rollout", "Take a new version to production ring by ring, judge each ring by its gates, revert by itself.");
        spec = m.spec;
        spec.versionProvider(new Version());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        spec.usageMessage()
                .footer("", "`rollout help COMMAND` or `rollout COMMAND --help` describes a command; "
                        + "`source <(rollout completion bash)` completes commands and options in bash and zsh.")
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(exitCodes());
        m.option("--state-dir", "DIR", "Directory of the embedded file store (default: $ROLLOUT_STATE_DIR or .rollout).")
                .global().toPath(v -> stateDir = v);
        m.option("--store", "LOCATION", "Where rollouts are kept: a directory, or jdbc:postgresql://host/db (default: $ROLLOUT_STORE, else --state-dir).")
                .global().toText(v -> store = v);
        m.option("--output", "text|json", "text for people, json for machines (one JSON object on stdout).")
                .global().defaultValue("text").toText(v -> output = v);
    }

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "done or passed");
        codes.put("1", "unexpected error");
        codes.put("2", "invalid input (plan, flags); nothing changed");
        codes.put("3", "a gate failed and the rollout was rolled back (production safe)");
        codes.put("4", "waiting (approval, a window)");
        codes.put("5", "conflict: another rollout is active, the expected ring or rollout (--rollout-id) is not the current one, another driver holds the lease, or the key's last rollout FAILED and needs `rollout resolve`");
        codes.put("6", "the revert failed (status FAILED): production state unknown, a person must resolve it");
        return codes;
    }

    boolean json() {
        return "json".equalsIgnoreCase(output);
    }

    /** {@code rollout} alone: the list of commands, and exit 2 (a command is needed). */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        spec.commandLine().usage(err);
        err.flush();
        return ExitCode.INVALID;
    }

    public static int execute(String[] args) {
        return execute(args, System.out, System.err);
    }

    /**
     * Runs one command in this JVM. Commands print their JSON answer to {@code System.out}; a caller that wants it
     * (the CI adapter) points {@code System.out} at {@code out} for the duration.
     */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        RolloutCommand root = new RolloutCommand();
        String word = commandWord(args);
        CommandLine cl = commandLine(root, word != null && COMMANDS.contains(word) ? List.of(word) : COMMANDS);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> invalidArguments(ex, root.json() || List.of(a).contains("json") || List.of(a).contains("--output=json"), out, err));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            Output o = new Output(root.json(), out, err);
            if (System.getenv("ROLLOUT_DEBUG") != null) ex.printStackTrace(err);
            return o.finish(c.getCommandName(), "error", ExitCode.ERROR, "unexpected error: " + ex, null, null);
        });
        return cl.execute(args);
    }

    /** The command line with every subcommand (and `help`): for help, completion and suggestions. */
    static CommandLine full() {
        return commandLine(new RolloutCommand(), COMMANDS);
    }

    private static CommandLine commandLine(RolloutCommand root, List<String> names) {
        CommandLine cl = new CommandLine(CommandModel.of(root));
        for (String name : names) {
            CommandModel.Declared command = command(name);
            CommandSpec sub = CommandModel.of(command);
            if (command instanceof Base b) {
                b.root = root;
                b.spec = sub;
            }
            cl.addSubcommand(name, new CommandLine(sub));
        }
        if (names.size() > 1) cl.addSubcommand("help", new CommandLine.HelpCommand());
        return cl;
    }

    /** The first argument that is not an option or an option's value: the command's name, or null. */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return i + 1 < args.length ? args[i + 1] : null;
            if (a.startsWith("-")) {
                if (VALUE_OPTIONS.contains(a)) i++;
                continue;
            }
            return a;
        }
        return null;
    }

    /** A mistake in the arguments: said once, with a suggestion when there is one, and how to get help. */
    private static int invalidArguments(ParameterException original, boolean json, PrintStream out, PrintStream err) {
        CommandLine c = original.getCommandLine();
        // picocli checks required options before unknown ones; a mistyped option is the mistake to name
        ParameterException ex = !(original instanceof UnmatchedArgumentException) && !c.getUnmatchedArguments().isEmpty()
                ? new UnmatchedArgumentException(c, c.getUnmatchedArguments()) : original;
        String qualified = c.getCommandSpec().qualifiedName();
        List<String> suggestions = ex instanceof UnmatchedArgumentException u ? u.getSuggestions() : List.of();
        boolean unknownCommand = c.getParent() == null && ex instanceof UnmatchedArgumentException u
                && !u.isUnknownOption() && !u.getUnmatched().isEmpty();
        String message = unknownCommand ? "unknown command '" + u(ex).getUnmatched().get(0) + "'" : ex.getMessage();
        if (!suggestions.isEmpty()) message += "; did you mean '" + suggestions.get(0) + "'?";
        message = new Problem("", 0, message).message(); // arguments are quoted back: no raw control characters
        if (json) {
            return new Output(true, out, err).invalid(c.getCommandName(), List.of(new Problem("", 0, message)), message);
        }
        err.println(qualified + ": " + message);
        if (!unknownCommand && c.getParent() != null) err.print(c.getHelp().fullSynopsis());
        err.println("Run '" + qualified + " --help' for " + (c.getParent() == null ? "the list of commands." : "more."));
        err.flush();
        return ExitCode.INVALID;
    }

    private static UnmatchedArgumentException u(ParameterException ex) {
        return (UnmatchedArgumentException) ex;
    }
}
