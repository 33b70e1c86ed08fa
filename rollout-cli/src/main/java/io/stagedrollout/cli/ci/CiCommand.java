package io.stagedrollout.cli.ci;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
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
 * The CI adapter's entry point: runs one {@code rollout} command as a child process with {@code --output json},
 * passes its human output through to the job log, and turns its JSON answer into the host's idioms — a GitLab
 * dotenv report, a JUnit report of the gate verdicts, GitLab step outputs, a copy of the JSON. The exit code is
 * the command's, so a failed gate fails the job.
 *
 * <p>Inputs come as named options; an empty value means "not given", because CI templates and step.yml pass every
 * input whether the user set it or not. No value is ever interpreted by a shell: the child gets an argument list.
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
    @Option(names = "--jar", defaultValue = "", description = "the rollout JAR (default: the JAR this class is in)")
    String jar;
    @Option(names = "--rollout-id", defaultValue = "",
            description = "act only if the rollout's id is this one (the id this pipeline started)")
    String rolloutId;

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
        List<String> launcher;
        try {
            launcher = launcher();
        } catch (IllegalStateException e) {
            err.println("rollout-ci: " + e.getMessage());
            return 2;
        }
        CliResult settled = preflight(launcher);
        if (settled != null) {
            if (settled.exitCode() != 0) err.println("rollout-ci: " + settled.message());
            writeOutputs(settled, "");
            out.print(Summary.render(settled));
            return settled.exitCode();
        }
        List<String> commandLine = new ArrayList<>(launcher);
        commandLine.addAll(args);
        Execution execution = execute(commandLine);
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
        out.flush();
        if (passWhenAwaitingApproval && execution.exitCode() == 4 && result.ringPassedAndAwaitsApproval()) {
            out.println("ring " + result.rollout().ring() + " passed and waits for its manual approval: "
                    + "run the promote job to go on, or the rollback job to go back");
            return 0;
        }
        // The command's own exit code; an unreadable answer is never a success.
        return execution.exitCode() != 0 ? execution.exitCode() : parsed ? 0 : 1;
    }

    /**
     * Checks made before a command changes anything, from the rollout's current status: with {@code --rollout-id},
     * that the key's rollout is still the one this pipeline started (a retried job of an old pipeline must not
     * promote or roll back a newer rollout); for {@code advance --ring}, that the ring is the next one. Returns the
     * answer when the command must not run (refused, or already done), or null to run it.
     */
    private CliResult preflight(List<String> launcher) throws IOException, InterruptedException {
        String c = command.trim().toLowerCase(Locale.ROOT);
        boolean checkId = !rolloutId.isBlank() && !c.equals("start") && !c.equals("run");
        boolean checkRing = c.equals("advance") && !ring.isBlank();
        if ((!checkId && !checkRing) || rollout.isBlank()) return null;
        List<String> status = new ArrayList<>(launcher);
        status.addAll(List.of("status", "--rollout", rollout));
        optional(status, "--store", store);
        optional(status, "--state-dir", stateDir);
        status.addAll(List.of("--output", "json"));
        CliResult current;
        try {
            current = CliResult.parse(execute(status, ProcessBuilder.Redirect.DISCARD).stdout());
        } catch (IllegalArgumentException unreadable) {
            return null; // the command itself will report what is wrong
        }
        CliResult.Rollout r = current.rollout();
        if (r == null) return null;
        if (checkId && r.id() != null && !r.id().equals(rolloutId.trim())) {
            return new CliResult(c, "conflict", 5, "refusing to " + c + ": " + rollout + " is now rollout " + r.id()
                    + " (version " + r.version() + "), not rollout " + rolloutId.trim()
                    + " that this pipeline started", null, List.of());
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

    /** java -jar the rollout JAR, with the JVM that runs this class. */
    List<String> launcher() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String jarPath = jar.isBlank() ? ownJar() : jar;
        if (!Files.isRegularFile(Path.of(jarPath))) {
            throw new IllegalStateException("--jar '" + jarPath + "' is not a file");
        }
        // Short-lived, I/O-bound commands: C1 only and the serial collector start faster on small CI runners.
        return List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jarPath);
    }

    private static String ownJar() {
        try {
            Path p = Path.of(CiCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) return p.toString();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through: no JAR to name
        }
        throw new IllegalStateException("cannot tell which rollout JAR to run: give --jar");
    }

    record Execution(int exitCode, String stdout) {}

    private Execution execute(List<String> commandLine) throws IOException, InterruptedException {
        return execute(commandLine, ProcessBuilder.Redirect.INHERIT);
    }

    private Execution execute(List<String> commandLine, ProcessBuilder.Redirect stderr)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(commandLine).redirectError(stderr)
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        Process child = pb.start();
        // A cancelled job stops this JVM; stop the rollout command with it, gracefully (SIGTERM), so it can
        // record where it stood.
        Thread stopChild = new Thread(() -> {
            if (child.isAlive()) child.destroy();
        });
        Runtime.getRuntime().addShutdownHook(stopChild);
        String stdout;
        try (InputStream in = child.getInputStream()) {
            stdout = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int code = child.waitFor();
        try {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        } catch (IllegalStateException shuttingDown) {
            // already exiting
        }
        return new Execution(code, stdout);
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
                // so a later job's --rollout-id guard still protects the other rollout.
                if (!rolloutId.isBlank()) variables.put("ROLLOUT_ID", rolloutId.trim());
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
