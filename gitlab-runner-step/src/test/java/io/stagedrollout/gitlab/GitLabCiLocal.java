package io.stagedrollout.gitlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs gitlab-ci-local (a real runner of .gitlab-ci.yml on one machine) in a repository. */
final class GitLabCiLocal {
    static final String VERSION = "4.65.1";

    record Run(int exitCode, String output) {}

    private final Path executable;

    private GitLabCiLocal(Path executable) {
        this.executable = executable;
    }

    /** The gitlab-ci-local on the PATH, if any, and rsync, which it needs. */
    static Optional<GitLabCiLocal> find() {
        Optional<Path> gcl = onPath("gitlab-ci-local");
        if (gcl.isEmpty() || onPath("rsync").isEmpty()) return Optional.empty();
        return gcl.map(GitLabCiLocal::new);
    }

    static String missingReason() {
        return "gitlab-ci-local " + VERSION + " and rsync are needed for the GitLab pipeline tests "
                + "(npm install -g gitlab-ci-local@" + VERSION + "; apt-get install rsync); .ci/run installs them";
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    Run run(Path repo, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.add("--force-shell-executor");
        command.add("--no-color");
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true);
        pb.environment().put("FORCE_COLOR", "0");
        Path log = Files.createTempFile(repo.getParent(), "gcl", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(150, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("gitlab-ci-local did not finish in 150 s:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /**
     * The pipeline configuration as GitLab renders it for a pipeline — components included with their inputs,
     * {@code extends} merged — printed by {@code gitlab-ci-local --preview}. For what gitlab-ci-local runs differently
     * from GitLab (resource_group, manual_confirmation, allow_failure, on_failure after an allowed failure), the
     * tests assert on this instead.
     */
    String preview(Path repo, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--preview", "--no-color"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(repo.toFile());
        pb.environment().put("FORCE_COLOR", "0");
        Path out = Files.createTempFile(repo.getParent(), "preview", ".yml");
        Path err = Files.createTempFile(repo.getParent(), "preview", ".log");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(150, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("gitlab-ci-local --preview failed:\n" + Files.readString(err));
        }
        // its warnings share stdout with the document; the document starts at its "---" line
        String text = Files.readString(out, StandardCharsets.UTF_8);
        int start = text.startsWith("---\n") ? 0 : text.indexOf("\n---\n");
        if (start < 0) throw new AssertionError("gitlab-ci-local --preview printed no YAML document:\n" + text);
        return text.substring(start == 0 ? 0 : start + 1);
    }

    /** Where gitlab-ci-local keeps a job's artifacts: job names made safe the way it does. */
    static Path artifacts(Path repo, String job) {
        Matcher m = Pattern.compile("[^\\w-]+").matcher(job);
        StringBuilder safe = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(safe, Matcher.quoteReplacement(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(m.group().getBytes(StandardCharsets.UTF_8))));
        }
        m.appendTail(safe);
        return repo.resolve(".gitlab-ci-local").resolve("artifacts").resolve(safe.toString());
    }
}
