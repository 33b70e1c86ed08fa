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
import picocli.CommandLine.Model.CommandSpec;

/** What every subcommand shares: the global options, the store, the engine, the output contract. */
abstract class Base implements Callable<Integer>, CommandModel.Declared {
    /** The root command, with the global options; set when the command line is made. */
    RolloutCommand root;

    /** This command's model; set when the command line is made. */
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
        } catch (io.stagedrollout.core.store.RolloutStore.InvalidLocationException e) {
            // a bad --store (e.g. a password in the JDBC URL) is invalid input, not an outage: exit 2
            return output().invalid(name(), List.of(new Problem("--store", 0, e.getMessage())), "--store: " + e.getMessage());
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
        String from = root.store != null ? "--store" : "ROLLOUT_STORE";
        if (location != null && (location.isBlank() || (location.startsWith("file:") && location.substring(5).isBlank()))) {
            // an empty location must never mean "the current directory"
            throw new Invalid(List.of(new Problem(from, 0, from + " is empty: give a directory or a jdbc:postgresql:// URL"
                    + (root.store != null ? "" : ", or unset it to use --state-dir (default .rollout)"))));
        }
        if (location != null) {
            var secret = io.stagedrollout.core.text.Redact.secretIn(location);
            if (secret.isPresent()) {
                throw new Invalid(List.of(new Problem(from, 0, from + " must not carry a secret, but has " + secret.get()
                        + ": set ROLLOUT_DB_USER and ROLLOUT_DB_PASSWORD (or PGUSER and PGPASSWORD) in the environment instead")));
            }
            var provider = StoreProvider.find(location);
            if (provider.isPresent()) return provider.get().open(location, env);
            if (location.contains("://") || location.startsWith("jdbc:")) {
                throw new Invalid("--store " + io.stagedrollout.core.text.Redact.url(location)
                        + " is not supported by this build (supported: a directory, jdbc:postgresql://…)");
            }
            return new FileRolloutStore(Path.of(location.startsWith("file:") ? location.substring(5) : location));
        }
        if (root.stateDir != null && root.stateDir.toString().isBlank()) {
            throw new Invalid(List.of(new Problem("--state-dir", 0, "--state-dir is empty: give a directory (the default is .rollout)")));
        }
        String fromEnv = env.get("ROLLOUT_STATE_DIR");
        if (root.stateDir == null && fromEnv != null && fromEnv.isBlank()) {
            throw new Invalid(List.of(new Problem("ROLLOUT_STATE_DIR", 0,
                    "ROLLOUT_STATE_DIR is set but empty: give a directory, or unset it to use .rollout")));
        }
        return new FileRolloutStore(root.stateDir != null ? root.stateDir : Path.of(fromEnv != null ? fromEnv : ".rollout"));
    }

    RolloutEngine engine(RolloutStore store) throws Invalid {
        return engine(store, null, false);
    }

    /**
     * The engine, as a driver named for this command and its actor, holding leases as {@code driver} says. A driving
     * command stops cleanly on SIGTERM or Ctrl-C: effects in flight are ended (their process groups), what was left
     * is journaled with the command that resumes, and the lease is given back before the process exits.
     */
    RolloutEngine engine(RolloutStore store, DriverOptions driver, boolean rollback) throws Invalid {
        var policy = driver == null ? leasePolicy() : driver.policy(env, rollback);
        RolloutEngine engine = new RolloutEngine(store, RolloutEngine.Runtime.system(Path.of("").toAbsolutePath()),
                Clock.systemUTC(), listener())
                .withHostFreezes(hostFreezes())
                .asDriver("rollout " + name() + " (" + actor().name() + ")", policy);
        if (driver != null && !io.stagedrollout.core.action.ProcessGroups.available()) {
            System.err.println("warning: " + io.stagedrollout.core.action.ProcessGroups.describe());
        }
        Thread stop = new Thread(() -> {
            engine.requestStop("SIGTERM or Ctrl-C");
            try {
                engine.awaitIdle(policy.stopGrace().plusSeconds(20));
            } catch (InterruptedException ignored) {
                // the JVM is going down anyway
            }
        }, "stop drivers");
        Runtime.getRuntime().addShutdownHook(stop);
        return engine;
    }

    private io.stagedrollout.core.engine.LeasePolicy leasePolicy() throws Invalid {
        try {
            return io.stagedrollout.core.engine.LeasePolicy.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    /** Freezes announced by the CI host: GitLab sets CI_DEPLOY_FREEZE inside a project's deploy freeze period. */
    List<io.stagedrollout.core.policy.Freeze> hostFreezes() {
        return io.stagedrollout.core.policy.Freeze.fromGitLab(env).map(List::of).orElse(List.of());
    }

    EngineListener listener() {
        Output o = output();
        boolean terminal = System.console() != null && !o.json();
        return terminal ? new ConsoleProgress(o.terminal(), true, Duration.ofSeconds(10), new TerminalColumns(env))
                : new ConsoleProgress(o.terminal(), false, Duration.ofSeconds(10));
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

    /**
     * A one-line value from the command line (a version, a reason, a ring): printable, at most 512 characters. It will
     * be printed, journaled and shown in reports, so control, bidi and zero-width characters are refused here.
     */
    static void requireText(String option, String value) throws Invalid {
        var problem = io.stagedrollout.core.text.Printable.problem(value, io.stagedrollout.core.text.Printable.MAX_FIELD);
        if (problem.isPresent()) throw new Invalid(List.of(new Problem(option, 0, option + " " + problem.get())));
    }

    private Actor actor;

    /**
     * Who is acting; when the name is a guess (a container without USER), says so once on stderr. A name from the
     * environment that could not be printed safely is refused, naming the variable.
     */
    Actor actor() throws Invalid {
        if (actor == null) {
            Actors.Identified who = Actors.identify(env, System.getProperty("user.name"));
            Actor a = who.actor();
            var problem = io.stagedrollout.core.text.Printable.problem(a.name(), 100);
            if (problem.isPresent()) {
                String variable = Actors.NAME_VARIABLES.stream()
                        .filter(v -> env.get(v) != null && env.get(v).trim().startsWith(a.name())).findFirst().orElse("the actor name");
                throw new Invalid(List.of(new Problem(variable, 0, "the actor name in " + variable + " " + problem.get())));
            }
            if (who.note() != null) System.err.println("note: " + who.note());
            actor = a;
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
