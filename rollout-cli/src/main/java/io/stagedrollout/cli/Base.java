package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.report.ConsoleProgress;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What every subcommand shares: the global options, the store, the engine, the output contract. */
abstract class Base implements Callable<Integer> {
    @ParentCommand
    RolloutCommand root;

    @Spec
    CommandSpec spec;

    Map<String, String> env = System.getenv();

    Output output() {
        return new Output(root.json(), System.out, System.err).withHostFreezes(hostFreezes());
    }

    String name() {
        return spec.name();
    }

    /** Thrown to end a command with invalid input (exit 2). */
    static final class Invalid extends Exception {
        final List<Problem> problems;

        Invalid(String message) {
            this(List.of(new Problem("", 0, message)));
        }

        Invalid(List<Problem> problems) {
            super(problems.get(0).message());
            this.problems = problems;
        }
    }

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } catch (io.stagedrollout.core.store.RolloutStore.StoreException e) {
            // the store is down or refuses the location: say so plainly, no stack trace
            return output().finish(name(), "error", ExitCode.ERROR, "store error: " + e.getMessage(), null, null);
        } catch (Invalid e) {
            String headline = e.problems.size() == 1 ? e.problems.get(0).toString() : e.problems.size() + " problems:";
            return output().invalid(name(), e.problems, headline);
        }
    }

    abstract int execute() throws Exception;

    /** The store this command opened, so that "not found" can say where it looked. */
    private RolloutStore opened;

    RolloutStore openStore() throws Exception {
        opened = open();
        return opened;
    }

    /** " (looked in the file store at /x/.rollout)": run elsewhere, a command says which store it read. */
    String lookedIn() {
        return opened == null ? "" : " (looked in the " + opened.describe() + ")";
    }

    private RolloutStore open() throws Exception {
        String location = root.store != null ? root.store : env.get("ROLLOUT_STORE");
        if (location != null && !location.isBlank()) {
            var provider = StoreProvider.find(location);
            if (provider.isPresent()) return provider.get().open(location, env);
            if (location.contains("://") || location.startsWith("jdbc:")) {
                throw new Invalid("--store " + redact(location)
                        + " is not supported by this build (supported: a directory, jdbc:postgresql://…)");
            }
            return new FileRolloutStore(Path.of(location.startsWith("file:") ? location.substring(5) : location));
        }
        Path dir = root.stateDir != null ? root.stateDir
                : Path.of(env.getOrDefault("ROLLOUT_STATE_DIR", ".rollout"));
        return new FileRolloutStore(dir);
    }

    /** A store location fit for messages: no user, password or query parameters (which may carry a password). */
    static String redact(String location) {
        String s = location.replaceAll("//[^@/?#]*@", "//");
        int q = s.indexOf('?');
        return (q < 0 ? s : s.substring(0, q) + "?…").replaceAll(";.*", ";…");
    }

    RolloutEngine engine(RolloutStore store) {
        return new RolloutEngine(store, RolloutEngine.Runtime.system(Path.of("").toAbsolutePath()), Clock.systemUTC(), listener())
                .withHostFreezes(hostFreezes());
    }

    /** Freezes announced by the CI host: GitLab sets CI_DEPLOY_FREEZE inside a project's deploy freeze period. */
    List<io.stagedrollout.core.policy.Freeze> hostFreezes() {
        return io.stagedrollout.core.policy.Freeze.fromGitLab(env).map(List::of).orElse(List.of());
    }

    EngineListener listener() {
        Output o = output();
        boolean terminal = System.console() != null && !o.json();
        return terminal ? new ConsoleProgress(o.human(), true, Duration.ofSeconds(10), new TerminalColumns(env))
                : new ConsoleProgress(o.human(), false, Duration.ofSeconds(10));
    }

    RolloutPlan readPlan(Path file) throws Invalid {
        try {
            return PlanReader.read(file);
        } catch (InvalidPlanException e) {
            throw new Invalid(e.problems());
        } catch (IOException e) {
            throw new Invalid("cannot read the plan " + file + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }

    static RolloutKey key(String text) throws Invalid {
        try {
            return RolloutKey.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid(List.of(new Problem("--rollout", 0, e.getMessage())));
        }
    }

    static void requireText(String option, String value) throws Invalid {
        if (value == null || value.isBlank()) throw new Invalid(List.of(new Problem(option, 0, option + " must not be empty")));
        if (value.length() > 512 || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new Invalid(List.of(new Problem(option, 0, option + " must be one line of at most 512 characters")));
        }
    }

    private Actor actor;

    /** Who is acting; when the name is a guess (a container without USER), says so once on stderr. */
    Actor actor() {
        if (actor == null) {
            Actors.Identified who = Actors.identify(env, System.getProperty("user.name"));
            if (who.note() != null) System.err.println("note: " + who.note());
            actor = who.actor();
        }
        return actor;
    }

    /**
     * Until closed: if the process is stopped (Ctrl-C, SIGTERM), say where the rollout was left and, when
     * {@code resumable}, that this same command line goes on from there.
     */
    InterruptNotice interruptNotice(RolloutStore store, RolloutKey key, boolean resumable) {
        List<String> args = resumable ? spec.root().commandLine().getParseResult().originalArgs() : null;
        return new InterruptNotice(store, key, args, System.err, System.console() != null);
    }

    /** The exit code and result word for an engine result of a command that changes the rollout. */
    int finishChange(EngineResult r, String appliedWord) {
        int code = switch (r.kind()) {
            case APPLIED, ALREADY_DONE -> ExitCode.OK;
            case NOT_YET -> ExitCode.WAITING;
            case CONFLICT -> ExitCode.CONFLICT;
            case NOT_FOUND, INVALID -> ExitCode.INVALID;
        };
        String word = r.kind() == EngineResult.Kind.ALREADY_DONE ? "already-done"
                : r.kind() == EngineResult.Kind.NOT_FOUND ? "not-found" : Output.resultFor(code, appliedWord);
        String message = r.kind() == EngineResult.Kind.NOT_FOUND ? r.message() + lookedIn() : r.message();
        return output().finish(name(), word, code, message, r.state(), null);
    }

    /** The exit code and result word for a command that drives the rollout (run, advance, status --wait). */
    int finishDriven(EngineResult r) {
        if (r.kind() == EngineResult.Kind.CONFLICT) return output().finish(name(), "conflict", ExitCode.CONFLICT, r.message(), r.state(), null);
        if (r.kind() == EngineResult.Kind.NOT_FOUND || r.kind() == EngineResult.Kind.INVALID) {
            String message = r.kind() == EngineResult.Kind.NOT_FOUND ? r.message() + lookedIn() : r.message();
            return output().finish(name(), "not-found", ExitCode.INVALID, message, r.state(), null);
        }
        int code = ExitCode.of(r.state());
        if (r.kind() == EngineResult.Kind.NOT_YET) {
            // outside a deployment window or in a freeze: the next ring waits; a later job tries again
            return output().finish(name(), "waiting", ExitCode.WAITING, r.message(), r.state(), null);
        }
        String word = switch (r.state().status()) {
            case ROLLED_BACK, ROLLING_BACK -> "rolled-back";
            case FAILED, ABORTED -> "failed";
            case AWAITING_APPROVAL, DEPLOYING, BAKING -> "waiting";
            default -> "applied";
        };
        return output().finish(name(), word, code, r.message(), r.state(), null);
    }
}
