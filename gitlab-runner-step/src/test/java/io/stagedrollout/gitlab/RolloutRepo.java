package io.stagedrollout.gitlab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away GitLab project {@code acme/app} on disk: the component templates copied from the working tree to
 * {@code templates/} (where a component project keeps them), a plan whose gate reads the test's service, a deploy
 * script, a state store, and the project's {@code .gitlab-ci.yml}.
 */
final class RolloutRepo {
    static final String KEY = "checkout/production";

    final Path root;
    final Path repo;
    final Path store;
    final Path deployDir;
    final Path jar;

    RolloutRepo(Path root, Path jar) throws IOException {
        this(root, jar, Files.createDirectories(root.resolve("state")), Files.createDirectories(root.resolve("deployed")));
    }

    /** A clone that shares its store and deployment with another (a second pipeline of the same project). */
    RolloutRepo(Path root, Path jar, Path store, Path deployDir) throws IOException {
        this.root = root;
        this.jar = jar;
        this.store = store;
        this.deployDir = deployDir;
        repo = Files.createDirectories(root.resolve("app"));
    }

    static Path componentDir() {
        return Path.of(System.getProperty("component.dir", ".")).toAbsolutePath().normalize();
    }

    static Path rolloutJar() {
        Path jar = Path.of(System.getProperty("rollout.jar", "../rollout-cli/target/rollout.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the rollout JAR is missing at " + jar
                    + ": build it first (mvn -pl gitlab-runner-step -am package)");
        }
        return jar;
    }

    void copyTemplates() throws IOException {
        Path from = componentDir().resolve("templates");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = repo.resolve("templates").resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(to);
                else Files.copy(f, to);
            }
        }
    }

    /** Two rings: canary (10%, manual approval) and everyone; one metrics gate on the service's error ratio. */
    void writePlan(String metricsUrl) throws IOException {
        Files.writeString(repo.resolve("rollout.yaml"), """
                service: checkout
                environment: production
                rings:
                  - name: canary
                    exposure: 10%
                    bake: 2s
                    gates: [error-rate]
                    approval: manual
                  - name: everyone
                    exposure: 100%
                    bake: 2s
                    gates: [error-rate]
                gates:
                  error-rate:
                    kind: metrics
                    endpoint: METRICS_URL
                    errors: http_requests_errors_total
                    total: http_requests_total
                    max: 0.05
                    minRequests: 5
                    window: 1s
                    interval: 2s
                actions:
                  deploy: {kind: command, command: ["./deploy.sh", "deploy"], passEnv: [DEPLOY_DIR]}
                  revert: {kind: command, command: ["./deploy.sh", "revert"], passEnv: [DEPLOY_DIR]}
                """.replace("METRICS_URL", metricsUrl));
        Path deploy = repo.resolve("deploy.sh");
        // The deploy action: record what was asked and the environment it was given, and switch the service to the
        // version (the revert's ROLLOUT_VERSION is the stable version).
        Files.writeString(deploy, """
                #!/bin/sh
                set -eu
                printf '%s %s %s %s\\n' "$1" "$ROLLOUT_RING" "$ROLLOUT_VERSION" "$ROLLOUT_PERCENT" >> "$DEPLOY_DIR/deploy.log"
                env > "$DEPLOY_DIR/env.$1.$ROLLOUT_RING"
                printf '%s' "$ROLLOUT_VERSION" > "$DEPLOY_DIR/deployed-version"
                """);
        Files.setPosixFilePermissions(deploy, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * The service: three rings — canary (10%, approval auto), early-adopters (50%, approval manual),
     * everyone — judged by an error-ratio gate whose marginal zone (3–5% errors) is INCONCLUSIVE, so a version
     * failing 4 of every 100 requests is held for a person at the canary.
     */
    void writeThreeRingPlan(String metricsUrl) throws IOException {
        writePlan(metricsUrl);
        Files.writeString(repo.resolve("rollout.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 10%, bake: 2s, gates: [error-rate]}
                  - {name: early-adopters, exposure: 50%, bake: 2s, gates: [error-rate], approval: manual}
                  - {name: everyone, exposure: 100%, bake: 2s, gates: [error-rate]}
                gates:
                  error-rate:
                    kind: metrics
                    endpoint: METRICS_URL
                    errors: http_requests_errors_total
                    total: http_requests_total
                    max: 0.05
                    marginal: 0.02
                    minRequests: 5
                    window: 1s
                    interval: 2s
                actions:
                  deploy: {kind: command, command: ["./deploy.sh", "deploy"], passEnv: [DEPLOY_DIR]}
                  revert: {kind: command, command: ["./deploy.sh", "revert"], passEnv: [DEPLOY_DIR]}
                """.replace("METRICS_URL", metricsUrl));
    }

    /** The three-ring pipeline written from the README: canary (auto), early-adopters (manual), everyone. */
    String threeRingPipeline() {
        return """
                include:
                  - component: $CI_SERVER_FQDN/acme/app/rollout@$CI_COMMIT_SHA
                    inputs:
                      plan: rollout.yaml
                      rollout: %s
                      version: $APP_VERSION
                      stable-version: "1.0.0"
                      store: '%s'
                      jar: '%s'
                  - component: $CI_SERVER_FQDN/acme/app/ring@$CI_COMMIT_SHA
                    inputs: {ring: canary}
                  - component: $CI_SERVER_FQDN/acme/app/ring@$CI_COMMIT_SHA
                    inputs: {ring: early-adopters, after: "rollout:canary", approval: manual}
                  - component: $CI_SERVER_FQDN/acme/app/ring@$CI_COMMIT_SHA
                    inputs: {ring: everyone, after: "rollout:promote:early-adopters"}
                """.formatted(KEY, store, jar);
    }

    Path deployedVersionFile() {
        return deployDir.resolve("deployed-version");
    }

    String deployLog() throws IOException {
        Path log = deployDir.resolve("deploy.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    void writePipeline(String text) throws IOException {
        Files.writeString(repo.resolve(".gitlab-ci.yml"), text);
    }

    /** The pipeline the tests use: the two components as a user includes them, plus a job reading the outputs. */
    String standardPipeline() {
        return """
                include:
                  - component: $CI_SERVER_FQDN/acme/app/rollout@$CI_COMMIT_SHA
                    inputs:
                      plan: rollout.yaml
                      rollout: %s
                      version: $APP_VERSION
                      stable-version: "1.0.0"
                      store: '%s'
                      jar: '%s'
                  - component: $CI_SERVER_FQDN/acme/app/ring@$CI_COMMIT_SHA
                    inputs: {ring: canary, approval: manual}
                  - component: $CI_SERVER_FQDN/acme/app/ring@$CI_COMMIT_SHA
                    inputs: {ring: everyone, after: "rollout:promote:canary"}

                release-notes:
                  stage: deploy
                  needs: [{job: "rollout:everyone", optional: true}]
                  script:
                    - echo "id=$ROLLOUT_ID status=$ROLLOUT_STATUS ring=$ROLLOUT_RING stable=$ROLLOUT_STABLE_VERSION last-good=$ROLLOUT_LAST_GOOD_VERSION" | tee seen.txt
                  artifacts:
                    paths: [seen.txt]
                """.formatted(KEY, store, jar);
    }

    void commit() throws IOException, InterruptedException {
        commit("git@gitlab.com:acme/app.git");
    }

    void commit(String origin) throws IOException, InterruptedException {
        git("init", "-q", "-b", "main");
        git("remote", "add", "origin", origin);
        git("add", "-A");
        git("-c", "user.name=Release Bot", "-c", "user.email=release@example.com", "commit", "-q", "-m", "app");
    }

    private void git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("git " + String.join(" ", args) + " failed: " + out);
    }

    /** {@code rollout <args> --store <store> --output json}, run from the test, parsed. */
    JsonNode rollout(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--store", store.toString(), "--output", "json"));
        Process p = new ProcessBuilder(command).directory(repo.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("rollout " + String.join(" ", args) + " did not finish");
        }
        return new ObjectMapper().readTree(out);
    }
}
