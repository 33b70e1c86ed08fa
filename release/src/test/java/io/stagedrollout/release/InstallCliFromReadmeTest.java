package io.stagedrollout.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13.10: the README's CLI install lines, run as written in a fresh home directory, against the archive this
 * build made — served the way a release page serves it (a local HTTP server stands in for the download host).
 */
class InstallCliFromReadmeTest {
    @TempDir
    Path home;

    private HttpServer releases;
    private final List<String> downloads = new ArrayList<>();

    @BeforeEach
    void serveTheRelease() throws Exception {
        releases = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String prefix = "/acme/staged-rollout/releases/download/v" + Repository.projectVersion() + "/";
        releases.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            Path file = path.startsWith(prefix) ? Repository.releaseDir().resolve(path.substring(prefix.length())) : null;
            if (file == null || path.substring(prefix.length()).contains("/") || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            downloads.add(file.getFileName().toString());
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        releases.start();
    }

    @AfterEach
    void stop() {
        releases.stop(0);
    }

    private record Run(int exitCode, String output) {}

    private Run bash(String script, Path cwd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(cwd.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("PATH", home.resolve(".local/bin") + ":" + System.getenv("PATH"));
        Path log = Files.createTempFile(home, "run", ".log");
        Process p = pb.redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish:\n" + Files.readString(log));
        }
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @Test
    void theReadmesInstallLinesInstallAWorkingRolloutCommand() throws Exception {
        String lines = Repository.block("README.md", "install:cli")
                .replace("https://github.com", "http://127.0.0.1:" + releases.getAddress().getPort())
                .replace(Repository.releaseVersion(), Repository.projectVersion());
        Path downloadsDir = Files.createDirectories(home.resolve("downloads"));

        Run install = bash(lines, downloadsDir);

        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(downloads).contains("rollout-" + Repository.projectVersion() + ".tar.gz",
                "rollout-" + Repository.projectVersion() + ".tar.gz.sha256");
        assertThat(install.output()).contains(": OK").contains("rollout " + Repository.releaseVersion());

        // the installed command drives a rollout, from another directory, through the symlink on PATH
        Path work = Files.createDirectories(home.resolve("work"));
        Files.writeString(work.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings: [{name: everyone, exposure: 100%}]
                """);
        Run used = bash("rollout start plan.yaml --version 2.0.0 --stable-version 1.0.0 --output json"
                + " && rollout status --rollout checkout/production", work);
        assertThat(used.exitCode()).as(used.output()).isZero();
        assertThat(used.output()).contains("\"result\":\"applied\"").contains("PENDING");
    }

    @Test
    void aDamagedDownloadIsRefusedByTheChecksumLine() throws Exception {
        String lines = Repository.block("README.md", "install:cli")
                .replace("https://github.com", "http://127.0.0.1:" + releases.getAddress().getPort())
                .replace(Repository.releaseVersion(), Repository.projectVersion());
        Path downloadsDir = Files.createDirectories(home.resolve("downloads"));
        // the first two lines download; then the archive is damaged before the checksum line runs
        String[] split = lines.split("\n", 3);
        String damage = "printf 'x' >> rollout-" + Repository.projectVersion() + ".tar.gz\n";

        Run install = bash(split[0] + "\n" + split[1] + "\n" + damage + split[2], downloadsDir);

        assertThat(install.exitCode()).as(install.output()).isNotZero();
        assertThat(install.output()).contains("FAILED");
        assertThat(home.resolve(".local/bin/rollout")).doesNotExist();
    }
}
