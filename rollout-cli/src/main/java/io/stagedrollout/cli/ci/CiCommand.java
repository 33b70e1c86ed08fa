package io.stagedrollout.cli.ci;

import io.stagedrollout.cli.RolloutCommand;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The CI adapter's entry point: runs one {@code rollout} command in this JVM (a CI job starts one JVM, not two)
 * with {@code --output json}, passes its human output through to the job log, and turns its JSON answer into the
 * host's idioms — a GitLab dotenv report, a JUnit report of the gate verdicts, GitLab step outputs, a copy of the
 * JSON. The exit code is the command's, so a failed gate fails the job; 6 says the revert itself failed.
 *
 * <p>Inputs come as named options; an empty value means "not given", because CI templates and step.yml pass every
 * input whether the user set it or not. No value is ever interpreted by a shell: the command gets an argument list.
 *
 * <pre>java -cp rollout.jar io.stagedrollout.cli.ci.CiCommand --command advance --rollout checkout/production \
 *     --store /mnt/rollout --dotenv rollout.env --junit gates.xml</pre>
 */
@Command(name = "rollout-ci", mixinStandardHelpOptions = true,
        description = "Run a rollout command for a CI job and write its dotenv, JUnit and step outputs.")
public final class CiCommand implements Callable<Integer> {
    static final Set<String> COMMANDS = Set.of("start", "run", "advance", "promote", "rollback", "abort", "status",
            "history");

    @Option(names = "--command", required = true, description = "start, run, advance, promote, rollback, abort, status")
    String command;
    @Option(names = "--plan", defaultValue = "", description = "plan file (start, run)")
    String plan;
    @Option(names = "--rollout", defaultValue = "", description = "rollout key service/environment")
    String rollout;
    @Option(names = "--version", defaultValue = "", description = "version to roll out (start, run)")
    String version;
    @Option(names = "--stable-version", defaultValue = "", description = "version to revert to (start)")
    String stableVersion;
    @Option(names = "--ring", defaultValue = "", description = "the ring the command expects (promote, advance)")
    String ring;
    @Option(names = "--reason", defaultValue = "", description = "why (rollback, abort)")
    String reason;
    @Option(names = "--store", defaultValue = "", description = "state store: a directory or jdbc:postgresql://...")
    String store;
    @Option(names = "--state-dir", defaultValue = "", description = "file store directory")
    String stateDir;
    @Option(names = "--flag", description = "a flag passed to the command when true: force, wait, succeed-on-pause, auto-approve")
    List<String> flags = new ArrayList<>();
    @Option(names = "--force", defaultValue = "", description = "true: promote a ring held on an inconclusive "
            + "verdict (promote only); empty or false: do not")
    String force;
    @Option(names = "--rollout-id", defaultValue = "",
            description = "act only if the rollout's id is this one (the id this pipeline started)")
    String rolloutId;

    @Option(names = "--if-in-flight", description = "rollback only: revert only what a ring job that died left in "
            + "flight (deploying, baking, reverting); a held ring, a rollout waiting for a window or one that moved "
            + "on is left for a person")
    boolean ifInFlight;

    @Option(names = "--job-prefix", defaultValue = "", description = "the component's job name prefix, to name the "
            + "jobs a person plays next in messages (e.g. rollout)")
    String jobPrefix;

    @Option(names = "--pass-when-awaiting-approval", description = "exit 0, not 4, when the ring passed and waits "
            + "for its manual approval (a ring job's work is done; the promote job is next)")
    boolean passWhenAwaitingApproval;

    @Option(names = "--dotenv", defaultValue = "", description = "write a GitLab dotenv report here")
    String dotenv;
    @Option(names = "--junit", defaultValue = "", description = "write the gate verdicts as JUnit XML here")
    String junit;
    @Option(names = "--step-output", defaultValue = "", description = "append GitLab step outputs (JSON lines) here")
    String stepOutput;
    @Option(names = "--json", defaultValue = "", description = "keep the command's JSON answer here")
    String json;

    @Parameters(description = "extra arguments passed to the rollout command as they are")
    List<String> extra = new ArrayList<>();

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public CiCommand() {
        this(System.getenv(), System.out, System.err);
    }

    CiCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        // the JSON contract and the job log are UTF-8 whatever the runner's locale
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        CommandLine cli = new CommandLine(new CiCommand());
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("rollout-ci: " + ex.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<String> args;
        try {
            args = arguments();
        } catch (IllegalArgumentException e) {
            err.println("rollout-ci: " + e.getMessage());
            return 2;
        }
        CliResult settled = preflight();
        if (settled != null) {
            if (settled.exitCode() != 0) err.println("rollout-ci: " + settled.message());
            writeOutputs(settled, "");
            out.print(Summary.render(settled));
            out.flush();
            return settled.exitCode();
        }
        Execution execution = runRollout(args, false);
        CliResult result;
        boolean parsed = false;
        try {
            result = CliResult.parse(execution.stdout());
            parsed = true;
        } catch (IllegalArgumentException e) {
            err.println("rollout-ci: " + e.getMessage() + " (exit code " + execution.exitCode() + ")");
            int code = execution.exitCode() == 0 ? 1 : execution.exitCode();
            result = new CliResult(command, "error", code, e.getMessage(), null, List.of());
        }
        writeOutputs(result, execution.stdout());
        out.print(Summary.render(result));
        if (passWhenAwaitingApproval && execution.exitCode() == 4 && result.ringPassedAndAwaitsApproval()) {
            out.println("ring " + result.rollout().ring() + " passed and waits for its manual approval: "
                    + "run the promote job to go on, or the rollback job to go back");
            out.flush();
            return 0;
        }
        String next = nextStep(result);
        if (next != null) out.println(next);
        out.flush();
        // The command's own exit code; an unreadable answer is never a success.
        return execution.exitCode() != 0 ? execution.exitCode() : parsed ? 0 : 1;
    }

    /** What a person does next when a job stops for them: a held ring, a failed revert. */
    private String nextStep(CliResult result) {
        CliResult.Rollout r = result.rollout();
        if (r == null) return null;
        String promote = jobPrefix.isBlank() ? "rollout promote --rollout " + r.key() + " --rollout-id " + r.id()
                : "the pipeline's manual `" + jobPrefix.trim() + ":promote` job";
        String rollback = jobPrefix.isBlank() ? "rollout rollback --rollout " + r.key() + " --rollout-id " + r.id()
                : "`" + jobPrefix.trim() + ":rollback`";
        if (result.exitCode() == 4 && "AWAITING_APPROVAL".equals(r.status())) {
            return "ring " + r.ring() + " is held for a person (" + r.hold() + "), still deployed: " + promote
                    + " to go on (then retry this job), or " + rollback + " to go back";
        }
        if (result.exitCode() == 6 || "FAILED".equals(r.status())) {
            return "the revert failed: production state is unknown and a person must resolve it (see the rollout's "
                    + "history), then record what was done";
        }
        return null;
    }

    /**
     * Checks made before a command changes anything, from the rollout's current status (read in this JVM): with
     * {@code --rollout-id}, that the key's rollout is still the one this pipeline started (a retried job of an old
     * pipeline must not promote or roll back a newer rollout); for {@code advance --ring}, that the ring is the
     * next one; for {@code rollback --if-in-flight}, that a dead job left something in flight. Returns the answer
     * when the command must not run (refused, already done, nothing to do), or null to run it.
     */
    private CliResult preflight() {
        String c = command.trim().toLowerCase(Locale.ROOT);
        boolean checkId = !rolloutId.isBlank() && !c.equals("start") && !c.equals("run");
        boolean checkRing = c.equals("advance") && !ring.isBlank();
        boolean checkInFlight = c.equals("rollback") && ifInFlight;
        if ((!checkId && !checkRing && !checkInFlight) || rollout.isBlank()) return null;
        List<String> status = new ArrayList<>(List.of("status", "--rollout", rollout));
        optional(status, "--store", store);
        optional(status, "--state-dir", stateDir);
        status.addAll(List.of("--output", "json"));
        CliResult current;
        try {
            current = CliResult.parse(runRollout(status, true).stdout());
        } catch (IllegalArgumentException unreadable) {
            return null; // the command itself will report what is wrong
        }
        CliResult.Rollout r = current.rollout();
        if (r == null) {
            return checkInFlight ? new CliResult(c, "not-found", 0, "no rollout " + rollout + " in this store: nothing "
                    + "to roll back", null, List.of()) : null;
        }
        if (checkId && r.id() != null && !r.id().equals(rolloutId.trim())) {
            return new CliResult(c, "conflict", 5, "refusing to " + c + ": " + rollout + " is now rollout " + r.id()
                    + " (version " + r.version() + "), not rollout " + rolloutId.trim()
                    + " that this pipeline started", null, List.of());
        }
        if (checkInFlight) {
            CliResult left = inFlight(c, r);
            if (left != null) return left;
        }
        if (checkRing) {
            ExpectedRing.Check check = ExpectedRing.check(r, ring.trim());
            switch (check.decision()) {
                case ALREADY_DONE -> {
                    return new CliResult(c, "already-done", 0, check.message(), r, List.of());
                }
                case OUT_OF_ORDER -> {
                    return new CliResult(c, "conflict", 5, check.message(), r, List.of());
                }
                case UNKNOWN_RING -> {
                    return new CliResult(c, "invalid", 2, check.message(), r, List.of());
                }
                default -> { }
            }
        }
        return null;
    }

    /**
     * A ring job that failed left the rollout somewhere: reverting is right only when it left a deploy, a bake or
     * a revert in flight (it died or timed out). A ring held for a person, a rollout waiting for a window, one that
     * moved on or completed is a person's decision, not this job's; a revert that already failed is exit 6.
     */
    static CliResult inFlight(String c, CliResult.Rollout r) {
        String status = r.status() == null ? "" : r.status();
        return switch (status) {
            case "DEPLOYING", "BAKING", "ROLLING_BACK" -> null;
            case "ROLLED_BACK" -> new CliResult(c, "already-done", 0, "the rollout of " + r.version()
                    + " is already rolled back", r, List.of());
            case "FAILED" -> new CliResult(c, "failed", 6, "the revert of " + r.version() + " already failed: "
                    + "production state is unknown and a person must resolve it", r, List.of());
            case "AWAITING_APPROVAL" -> new CliResult(c, "waiting", 0, "ring " + r.ring() + " is held for a person ("
                    + r.hold() + "); nothing is reverted automatically", r, List.of());
            default -> new CliResult(c, "already-done", 0, "nothing in flight to revert: the rollout of "
                    + r.version() + " is " + status + (r.ring() == null ? "" : " at ring " + r.ring()), r, List.of());
        };
    }

    /** The rollout command's argument list, from the named inputs; empty inputs are left out. */
    List<String> arguments() {
        String c = command.trim().toLowerCase(Locale.ROOT);
        if (!COMMANDS.contains(c)) {
            throw new IllegalArgumentException("--command '" + command + "' is not one of " + String.join(", ",
                    COMMANDS.stream().sorted().toList()));
        }
        List<String> a = new ArrayList<>();
        a.add(c);
        switch (c) {
            case "start", "run" -> {
                a.add(required("--plan", plan, c));
                a.add("--version");
                a.add(required("--version", version, c));
                if (c.equals("start")) optional(a, "--stable-version", stableVersion);
            }
            default -> {
                a.add("--rollout");
                a.add(required("--rollout", rollout, c));
            }
        }
        // advance takes no ring: the job's ring is checked against the rollout before (preflight)
        if (c.equals("promote")) optional(a, "--ring", ring);
        String forced = force.trim().toLowerCase(Locale.ROOT);
        if (!forced.isEmpty() && !forced.equals("false")) {
            if (!forced.equals("true")) throw new IllegalArgumentException("--force '" + force + "' must be true or false");
            if (!c.equals("promote")) throw new IllegalArgumentException("--force applies to promote only");
            a.add("--force");
        }
        if (c.equals("rollback")) {
            a.add("--reason");
            a.add(reason.isBlank() ? defaultReason() : reason);
        }
        if (c.equals("abort")) optional(a, "--reason", reason);
        for (String f : flags) {
            String flag = f.trim();
            if (flag.isEmpty() || flag.equalsIgnoreCase("false")) continue;
            if (!Set.of("force", "wait", "succeed-on-pause", "auto-approve").contains(flag)) {
                throw new IllegalArgumentException("--flag '" + flag
                        + "' is not one of force, wait, succeed-on-pause, auto-approve");
            }
            a.add("--" + flag);
        }
        if (!rolloutId.isBlank() && !c.equals("start") && !c.equals("run")) {
            // the CLI checks the binding itself, atomically with the change it makes
            a.add("--rollout-id");
            a.add(rolloutId.trim());
        }
        optional(a, "--store", store);
        optional(a, "--state-dir", stateDir);
        for (String x : extra) {
            if (!x.isEmpty()) a.add(x);
        }
        a.add("--output");
        a.add("json");
        return a;
    }

    private String defaultReason() {
        return CiHosts.detect(env).map(h -> "rollback requested by " + h.actor(env).describe())
                .orElse("rollback requested from CI");
    }

    private static String required(String option, String value, String command) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is required for '" + command + "'");
        }
        return value;
    }

    private static void optional(List<String> a, String option, String value) {
        if (value != null && !value.isBlank()) {
            a.add(option);
            a.add(value);
        }
    }

    record Execution(int exitCode, String stdout) {}

    /**
     * Runs {@code rollout <args>} in this JVM. Its stdout (the JSON answer) is captured; its human text goes to the
     * job log, or nowhere when {@code quiet}. A cancelled job's SIGTERM reaches the command directly: it is this
     * process.
     */
    static Execution runRollout(List<String> args, boolean quiet) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        synchronized (CiCommand.class) {
            PrintStream stdout = System.out;
            PrintStream stderr = System.err;
            PrintStream human = quiet ? new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)
                    : stderr;
            System.setOut(capture);
            System.setErr(human);
            try {
                int code = RolloutCommand.execute(args.toArray(String[]::new), capture, human);
                capture.flush();
                return new Execution(code, captured.toString(StandardCharsets.UTF_8));
            } finally {
                System.setOut(stdout);
                System.setErr(stderr);
            }
        }
    }

    private void writeOutputs(CliResult result, String rawJson) {
        try {
            if (!json.isBlank()) {
                Path p = Path.of(json);
                if (p.toAbsolutePath().getParent() != null) Files.createDirectories(p.toAbsolutePath().getParent());
                Files.writeString(p, rawJson, StandardCharsets.UTF_8);
            }
            if (!dotenv.isBlank()) {
                Map<String, String> variables = DotenvWriter.variables(result);
                // The pipeline's rollout stays the one it started, whatever rollout a conflicting answer describes,
                // so a later job's --rollout-id guard still protects the other rollout; a start refused because
                // another rollout is active passes no id at all.
                if (!rolloutId.isBlank()) variables.put("ROLLOUT_ID", rolloutId.trim());
                else if (result.exitCode() == 5) variables.put("ROLLOUT_ID", "");
                for (String w : DotenvWriter.write(Path.of(dotenv), variables)) {
                    err.println("rollout-ci: warning: " + w);
                }
            }
            if (!junit.isBlank()) GateJUnitWriter.write(Path.of(junit), result);
            if (!stepOutput.isBlank()) StepOutputWriter.write(Path.of(stepOutput), result);
        } catch (IOException e) {
            err.println("rollout-ci: cannot write the job's reports: " + e.getMessage());
        }
    }
}
