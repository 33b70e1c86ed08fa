package io.stagedrollout.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import io.stagedrollout.core.plan.Problem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code rollout}: the root command and its global options, accepted before or after the subcommand. */
@Command(name = "rollout", mixinStandardHelpOptions = true, version = "rollout 0.1.0",
        description = "Take a new version to production ring by ring, judge each ring by its gates, revert by itself.",
        subcommands = {PlanCommand.class, RunCommand.class, StartCommand.class, AdvanceCommand.class,
                PromoteCommand.class, RollbackCommand.class, AbortCommand.class, ResolveCommand.class, StatusCommand.class,
                HistoryCommand.class, ListCommand.class, StoreCommand.class, ReportCommand.class, ReplayCommand.class, DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done or passed", "1:unexpected error", "2:invalid input (plan, flags); nothing changed",
                "3:a gate failed and the rollout was rolled back (production safe)", "4:waiting (approval, a window)",
                "5:conflict: another rollout is active, the expected ring or rollout (--rollout-id) is not the current one, another driver holds the lease, or the key's last rollout FAILED and needs `rollout resolve`",
                "6:the revert failed (status FAILED): production state unknown, a person must resolve it"})
public final class RolloutCommand {
    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Directory of the embedded file store (default: $ROLLOUT_STATE_DIR or .rollout).")
    Path stateDir;

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "LOCATION",
            description = "Where rollouts are kept: a directory, or jdbc:postgresql://host/db (default: $ROLLOUT_STORE, else --state-dir).")
    String store;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "text|json", defaultValue = "text",
            description = "text for people, json for machines (one JSON object on stdout).")
    String output;

    boolean json() {
        return "json".equalsIgnoreCase(output);
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
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            boolean json = root.json() || List.of(a).contains("json");
            String sub = ex.getCommandLine().getCommandName();
            Output o = new Output(json, out, err);
            int code = o.invalid(sub, List.of(new Problem("", 0, ex.getMessage())), "invalid arguments: " + ex.getMessage());
            if (!json) ex.getCommandLine().usage(err);
            return code;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            Output o = new Output(root.json(), out, err);
            if (System.getenv("ROLLOUT_DEBUG") != null) ex.printStackTrace(err);
            return o.finish(c.getCommandName(), "error", ExitCode.ERROR, "unexpected error: " + ex, null, null);
        });
        return cl.execute(args);
    }
}
