package io.stagedrollout.core.testing.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server for tests: the {@code prometheus} binary ({@code $PROMETHEUS_BIN}, {@code /usr/bin/prometheus}
 * or on the PATH) started on a free loopback port with a throw-away data directory and a config that scrapes the
 * given targets every second; {@link #close()} stops it and deletes the directory.
 */
public final class PrometheusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path dir;
    private final URI address;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusServer(Process process, Path dir, URI address) {
        this.process = process;
        this.dir = dir;
        this.address = address;
    }

    /** The binary, if this machine has one. */
    public static Optional<Path> binary() {
        String configured = System.getenv("PROMETHEUS_BIN");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        Path usual = Path.of("/usr/bin/prometheus");
        if (Files.isExecutable(usual)) return Optional.of(usual);
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> Path.of(s, "prometheus"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public static String whyAbsent() {
        return "no prometheus binary: install the Debian package (apt-get install -y prometheus) or set PROMETHEUS_BIN; "
                + ".ci/run installs it";
    }

    /** Starts Prometheus scraping {@code targets} ({@code host:port}) every second and waits until it is ready. */
    public static PrometheusServer start(Path binary, List<String> targets) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("prometheus-test");
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: exporter\n    static_configs:\n      - targets: [");
        for (int i = 0; i < targets.size(); i++) config.append(i == 0 ? "'" : ", '").append(targets.get(i)).append('\'');
        config.append("]\n");
        Path configFile = Files.writeString(dir.resolve("prometheus.yml"), config);
        Files.createDirectories(dir.resolve("data"));
        int port = freePort();
        Process p = new ProcessBuilder(binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        PrometheusServer server = new PrometheusServer(p, dir, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitReady(Duration.ofSeconds(30));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public URI address() {
        return address;
    }

    /** Waits until {@code query}'s answer satisfies {@code ready} (e.g. two scrapes made a rate). */
    public JsonNode awaitQuery(String query, Predicate<JsonNode> ready, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = query(query);
            if (ready.test(last)) return last;
            Thread.sleep(250);
        }
        throw new IllegalStateException("Prometheus never answered " + query + " as expected; last answer " + last
                + "; log: " + log());
    }

    public JsonNode query(String query) throws IOException, InterruptedException {
        URI uri = URI.create(address + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private void awaitReady(Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ": " + log());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(address + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("prometheus was not ready within " + patience.toSeconds() + "s: " + log());
    }

    private String log() {
        try {
            String s = Files.readString(dir.resolve("prometheus.log"));
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
