package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13.10, the GitLab install path end to end: the repository's .gitlab-ci.yml `publish` job uploads the
 * release's files to the generic package registry with the job token, and a service's pipeline then fetches the
 * JAR through the component's jar-url (with the job token, as for any URL under $CI_API_V4_URL) and checks it
 * against the published SHA-256. A local HTTP server plays GitLab's package API.
 */
class PublishAndFetchPipelineTest {
    private static final String JOB_TOKEN = "glcbt-test-job-token";
    private static final String PACKAGE_PATH = "/api/v4/projects/42/packages/generic/rollout/0.1.0/";

    @TempDir
    Path tmp;

    private GitLabCiLocal gcl;
    private HttpServer gitlab;
    private final Map<String, byte[]> packages = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startThePackageRegistry() throws IOException {
        Optional<GitLabCiLocal> found = GitLabCiLocal.find();
        assumeTrue(found.isPresent(), GitLabCiLocal.missingReason());
        gcl = found.get();
        gitlab = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gitlab.createContext(PACKAGE_PATH, this::packageApi);
        gitlab.start();
    }

    @AfterEach
    void stop() {
        if (gitlab != null) gitlab.stop(0);
    }

    private void packageApi(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(PACKAGE_PATH.length());
        String token = exchange.getRequestHeaders().getFirst("JOB-TOKEN");
        requests.add(exchange.getRequestMethod() + " " + name + " token=" + (JOB_TOKEN.equals(token) ? "job" : token));
        if (!JOB_TOKEN.equals(token)) {
            exchange.sendResponseHeaders(401, -1);
        } else if (exchange.getRequestMethod().equals("PUT")) {
            packages.put(name, exchange.getRequestBody().readAllBytes());
            byte[] body = "{\"message\":\"201 Created\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
        } else if (packages.containsKey(name)) {
            byte[] body = packages.get(name);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } else {
            exchange.sendResponseHeaders(404, -1);
        }
        exchange.close();
    }

    private String apiUrl() {
        return "http://127.0.0.1:" + gitlab.getAddress().getPort() + "/api/v4";
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** The repository's own release pipeline, with what its build job left (the JAR and its SHA-256). */
    private Path releaseRepo() throws Exception {
        Path repo = Files.createDirectories(tmp.resolve("staged-rollout"));
        Path root = RolloutRepo.componentDir().getParent();
        Files.copy(root.resolve(".gitlab-ci.yml"), repo.resolve(".gitlab-ci.yml"));
        Files.createDirectories(repo.resolve(".gitlab/release"));
        Path script = repo.resolve(".gitlab/release/publish-packages.sh");
        Files.copy(root.resolve(".gitlab/release/publish-packages.sh"), script);
        script.toFile().setExecutable(true);
        git(repo, "init", "-q", "-b", "main");
        git(repo, "remote", "add", "origin", "git@gitlab.com:acme/staged-rollout.git");
        git(repo, "add", "-A");
        git(repo, "-c", "user.name=r", "-c", "user.email=r@example.com", "commit", "-q", "-m", "release");
        // gitlab-ci-local's shell executor runs every job in the project directory: the build job's dist/ is there
        Path dist = Files.createDirectories(repo.resolve("dist"));
        byte[] jar = Files.readAllBytes(RolloutRepo.rolloutJar());
        Files.write(dist.resolve("rollout.jar"), jar);
        Files.writeString(dist.resolve("rollout.jar.sha256"), sha256(jar) + "  rollout.jar\n");
        return repo;
    }

    private static void git(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("git " + String.join(" ", args) + ": " + out);
    }

    @Test
    void thePublishJobUploadsTheJarAndAPipelineFetchesAndChecksIt() throws Exception {
        Path release = releaseRepo();
        GitLabCiLocal.Run publish = gcl.run(release, List.of("publish", "--variable", "CI_COMMIT_TAG=0.1.0",
                "--variable", "CI_API_V4_URL=" + apiUrl(), "--variable", "CI_PROJECT_ID=42",
                "--variable", "CI_JOB_TOKEN=" + JOB_TOKEN));
        assertThat(publish.exitCode()).as(publish.output()).isZero();
        assertThat(requests).contains("PUT rollout.jar token=job", "PUT rollout.jar.sha256 token=job");
        assertThat(packages.get("rollout.jar")).isEqualTo(Files.readAllBytes(RolloutRepo.rolloutJar()));

        // a service's pipeline, as the README's "Install and publish" says to write it
        String published = new String(packages.get("rollout.jar.sha256"), StandardCharsets.UTF_8).split("\\s+")[0];
        RolloutRepo app = new RolloutRepo(Files.createDirectories(tmp.resolve("app")), RolloutRepo.rolloutJar());
        app.copyTemplates();
        app.writePlan("http://127.0.0.1:9/metrics");
        app.writePipeline("""
                include:
                  - component: $CI_SERVER_FQDN/acme/app/rollout@$CI_COMMIT_SHA
                    inputs:
                      rollout: checkout/production
                      store: '%s'
                      jar: downloaded/rollout.jar
                      jar-url: $CI_API_V4_URL/projects/42/packages/generic/rollout/0.1.0/rollout.jar
                      jar-sha256: $ROLLOUT_JAR_SHA256
                """.formatted(app.store));
        Files.createDirectories(app.repo.resolve("downloaded"));
        Files.writeString(app.repo.resolve("downloaded/.keep"), "");
        app.commit();

        GitLabCiLocal.Run start = gcl.run(app.repo, List.of("rollout:start", "--variable", "CI_API_V4_URL=" + apiUrl(),
                "--variable", "CI_JOB_TOKEN=" + JOB_TOKEN, "--variable", "ROLLOUT_JAR_SHA256=" + published));

        assertThat(start.exitCode()).as(start.output()).isZero();
        assertThat(requests).contains("GET rollout.jar token=job");
        assertThat(app.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/status").asText()).isEqualTo("PENDING");
    }
}
