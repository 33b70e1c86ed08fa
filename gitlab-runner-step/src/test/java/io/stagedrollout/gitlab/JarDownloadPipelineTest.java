package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jobs fetch the JAR from the jar-url input, and refuse one whose SHA-256 is not jar-sha256. */
class JarDownloadPipelineTest {
    @TempDir
    Path tmp;

    private HttpServer releases;
    private GitLabCiLocal gcl;

    @BeforeEach
    void serveTheJar() throws Exception {
        Optional<GitLabCiLocal> found = GitLabCiLocal.find();
        assumeTrue(found.isPresent(), GitLabCiLocal.missingReason());
        gcl = found.get();
        byte[] jar = Files.readAllBytes(RolloutRepo.rolloutJar());
        releases = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        releases.createContext("/releases/rollout.jar", exchange -> {
            exchange.sendResponseHeaders(200, jar.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jar);
            }
        });
        releases.start();
    }

    @AfterEach
    void stop() {
        if (releases != null) releases.stop(0);
    }

    private RolloutRepo repoFetchingJar(String sha256) throws Exception {
        RolloutRepo repo = new RolloutRepo(tmp, RolloutRepo.rolloutJar());
        repo.copyTemplates();
        repo.writePlan("http://127.0.0.1:9/metrics");
        String url = "http://127.0.0.1:" + releases.getAddress().getPort() + "/releases/rollout.jar";
        repo.writePipeline("""
                include:
                  - component: $CI_SERVER_FQDN/acme/app/rollout@$CI_COMMIT_SHA
                    inputs:
                      rollout: checkout/production
                      store: '%s'
                      jar: downloaded/rollout.jar
                      jar-url: '%s'
                      jar-sha256: '%s'
                """.formatted(repo.store, url, sha256));
        Files.createDirectories(repo.repo.resolve("downloaded"));
        Files.writeString(repo.repo.resolve("downloaded/.keep"), "");
        repo.commit();
        return repo;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void jobRunsTheJarItDownloadedFromJarUrl() throws Exception {
        RolloutRepo repo = repoFetchingJar(sha256(RolloutRepo.rolloutJar()));

        GitLabCiLocal.Run run = gcl.run(repo.repo, List.of("rollout:start", "--variable", "GITLAB_CI=true"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/status").asText())
                .isEqualTo("PENDING");
    }

    @Test
    void jarWithAnotherChecksumIsRefusedBeforeAnythingRuns() throws Exception {
        RolloutRepo repo = repoFetchingJar("0".repeat(64));

        GitLabCiLocal.Run run = gcl.run(repo.repo, List.of("rollout:start", "--variable", "GITLAB_CI=true"));

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("rollout JAR checksum mismatch");
        assertThat(repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout").isMissingNode()
                || repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout").isNull()).isTrue();
    }
}
