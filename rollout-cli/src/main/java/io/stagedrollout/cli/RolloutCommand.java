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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/** {@code rollout}: the root command and its global options, accepted before or after the subcommand. */
@Command(name = "rollout", mixinStandardHelpOptions = true, versionProvider = RolloutCommand.Version.class,
        description = "Take a new version to production ring by ring, judge each ring by its gates, revert by itself.",
        footer = {"", "`rollout help COMMAND` or `rollout COMMAND --help` describes a command; "
                + "`source <(rollout completion bash)` completes commands and options in bash and zsh."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done or passed", "1:unexpected error", "2:invalid input (plan, flags); nothing changed",
                "3:a gate failed and the rollout was rolled back (production safe)", "4:waiting (approval, a window)",
                "5:conflict: another rollout is active, the expected ring or rollout (--rollout-id) is not the current one, another driver holds the lease, or the key's last rollout FAILED and needs `rollout resolve`",
                "6:the revert failed (status FAILED): production state unknown, a person must resolve it"})
public final class RolloutCommand implements Callable<Integer> {
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
     * The subcommands by name, in the order help lists them. Only the one that runs is loaded and modelled by
     * picocli (each command's annotations are read by reflection: BENCHMARKS.md, "CLI start-up"); help, completion
     * and a mistyped command see all of them. A new command is one line here.
     */
    static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("plan", PlanCommand.class);
        COMMANDS.put("run", RunCommand.class);
        COMMANDS.put("start", StartCommand.class);
        COMMANDS.put("advance", AdvanceCommand.class);
        COMMANDS.put("promote", PromoteCommand.class);
        COMMANDS.put("rollback", RollbackCommand.class);
        COMMANDS.put("abort", AbortCommand.class);
        COMMANDS.put("resolve", ResolveCommand.class);
        COMMANDS.put("status", StatusCommand.class);
        COMMANDS.put("history", HistoryCommand.class);
        COMMANDS.put("list", ListCommand.class);
        COMMANDS.put("store", StoreCommand.class);
        COMMANDS.put("report", ReportCommand.class);
        COMMANDS.put("replay", ReplayCommand.class);
        COMMANDS.put("demo", DemoCommand.class);
        COMMANDS.put("completion", CompletionCommand.class);
        COMMANDS.put(StartupTraining.NAME, StartupTraining.class);
    }

    /** Global options that take a value, so that the command word can be found without building the whole model. */
    private static final List<String> VALUE_OPTIONS = List.of("--state-dir", "--store", "--output");

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Directory of the embedded file store (default: $ROLLOUT_STATE_DIR or .rollout).")
    Path stateDir;

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "LOCATION",
            description = "Where rollouts are kept: a directory, or jdbc:postgresql://host/db (default: $ROLLOUT_STORE, else --state-dir).")
    String store;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "text|json", defaultValue = "text",
            description = "text for people, json for machines (one JSON object on stdout).")
    String output;

    @Spec
    CommandSpec spec;

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
        CommandLine cl = commandLine(root, COMMANDS.containsKey(word) ? List.of(word) : List.copyOf(COMMANDS.keySet()));
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
        return commandLine(new RolloutCommand(), List.copyOf(COMMANDS.keySet()));
    }

    private static CommandLine commandLine(RolloutCommand root, List<String> names) {
        CommandLine cl = new CommandLine(root);
        for (String name : names) {
            cl.addSubcommand(name, COMMANDS.get(name));
            CommandSpec sub = cl.getSubcommands().get(name).getCommandSpec();
            if (sub.optionsMap().get("--help") == null) {
                sub.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
            }
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
