package io.stagedrollout.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The component as a GitLab user includes it, run by gitlab-ci-local against the real rollout JAR, with a gate
 * that measures a live service's error ratio.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ComponentPipelineTest {
    private static final Map<String, Integer> ERRORS_PER_HUNDRED = Map.of("1.0.0", 0, "2.0.0", 0, "2.0.0-bad", 20);

    private GitLabCiLocal gitlabCiLocal;

    @TempDir
    static Path tmp;

    /** The good version's pipeline runs once; several tests read what it left. */
    private RolloutRepo good;
    private CheckoutService goodService;
    private GitLabCiLocal.Run goodRun;

    @BeforeAll
    void needsGitLabCiLocal() {
        Optional<GitLabCiLocal> found = GitLabCiLocal.find();
        assumeTrue(found.isPresent(), GitLabCiLocal.missingReason());
        gitlabCiLocal = found.get();
    }

    @AfterAll
    void stopService() {
        if (goodService != null) goodService.close();
    }

    private RolloutRepo repo(String name, CheckoutService[] service) throws Exception {
        RolloutRepo repo = new RolloutRepo(Files.createDirectories(tmp.resolve(name)), RolloutRepo.rolloutJar());
        Files.writeString(repo.deployedVersionFile(), "1.0.0");
        service[0] = new CheckoutService(repo.deployedVersionFile(), ERRORS_PER_HUNDRED);
        repo.copyTemplates();
        repo.writePlan(service[0].metricsUrl());
        repo.writePipeline(repo.standardPipeline());
        repo.commit();
        return repo;
    }

    private synchronized GitLabCiLocal.Run goodPipeline() throws Exception {
        if (goodRun == null) {
            CheckoutService[] service = new CheckoutService[1];
            good = repo("good", service);
            goodService = service[0];
            goodRun = pipeline(good, "2.0.0");
        }
        return goodRun;
    }

    /** Secrets a job has that no deploy script may see. */
    private static final String METRICS_TOKEN = "mt-7c1f9e2ab44d";
    private static final String HOST_SECRET = "host-secret-51aa0f";

    private GitLabCiLocal.Run pipeline(RolloutRepo repo, String version) throws Exception {
        // gitlab-ci-local sets GITLAB_CI=false to mark local runs (and the JAR still records the GitLab job as the
        // actor); every JVM the jobs start leaves one file in jvms/.
        Path jvms = Files.createDirectories(repo.root.resolve("jvms"));
        return gitlabCiLocal.run(repo.repo, List.of("--manual", "rollout:promote:canary",
                "--variable", "APP_VERSION=" + version, "--variable", "DEPLOY_DIR=" + repo.deployDir,
                "--variable", "ROLLOUT_METRICS_TOKEN=" + METRICS_TOKEN, "--variable", "DEPLOY_SECRET=" + HOST_SECRET,
                "--variable", "JAVA_TOOL_OPTIONS=-Xlog:os=info:file=" + jvms + "/jvm-%p.log"));
    }

    @Test
    void goodVersionPassesCanaryIsPromotedAndCompletesEveryRing() throws Exception {
        GitLabCiLocal.Run run = goodPipeline();
        RolloutRepo repo = good;
        {

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("PASS  rollout:start", "PASS  rollout:canary",
                    "PASS  rollout:promote:canary", "PASS  rollout:everyone", "PASS  release-notes");
            assertThat(run.output()).doesNotContain("rollout:rollback:canary  starting");
            JsonNode status = repo.rollout("status", "--rollout", RolloutRepo.KEY);
            assertThat(status.at("/rollout/status").asText()).isEqualTo("COMPLETED");
            assertThat(status.at("/rollout/version").asText()).isEqualTo("2.0.0");
            assertThat(repo.deployLog()).contains("deploy canary 2.0.0", "deploy everyone 2.0.0")
                    .doesNotContain("revert");
            assertThat(Files.readString(repo.deployedVersionFile())).isEqualTo("2.0.0");
        }
    }

    @Test
    void dotenvValuesReachTheJobsThatNeedTheRolloutJobs() throws Exception {
        GitLabCiLocal.Run run = goodPipeline();
        RolloutRepo repo = good;
        {

            assertThat(run.exitCode()).as(run.output()).isZero();
            String id = repo.rollout("status", "--rollout", RolloutRepo.KEY).at("/rollout/id").asText();
            assertThat(id).isNotBlank();
            String seen = Files.readString(GitLabCiLocal.artifacts(repo.repo, "release-notes").resolve("seen.txt"));
            assertThat(seen.strip()).isEqualTo("id=" + id + " status=COMPLETED ring=everyone stable=1.0.0 last-good=2.0.0");
            String dotenv = Files.readString(GitLabCiLocal.artifacts(repo.repo, "rollout:canary").resolve("rollout.env"));
            assertThat(dotenv.lines()).contains("ROLLOUT_ID=" + id, "ROLLOUT_RING=canary",
                    "ROLLOUT_STABLE_VERSION=1.0.0").allMatch(l -> l.matches("[A-Z_]+=.*"));
        }
    }

    @Test
    void gateVerdictsOfEachRingAreInItsJUnitReport() throws Exception {
        GitLabCiLocal.Run run = goodPipeline();
        RolloutRepo repo = good;
        {

            assertThat(run.exitCode()).as(run.output()).isZero();
            for (String ring : List.of("canary", "everyone")) {
                String xml = Files.readString(GitLabCiLocal.artifacts(repo.repo, "rollout:" + ring).resolve("gates.xml"));
                assertThat(xml).contains("<testsuite name=\"checkout/production ring " + ring + "\"")
                        .contains("<testcase classname=\"rollout.checkout.production." + ring + "\" name=\"error-rate\"")
                        .contains("failures=\"0\"").doesNotContain("<failure");
            }
            // the promote job needs the canary's job and so has its gates.xml; it must not publish it a second time
            for (String job : List.of("rollout:start", "rollout:promote:canary")) {
                assertThat(GitLabCiLocal.artifacts(repo.repo, job).resolve("gates.xml")).as(job).doesNotExist();
                assertThat(GitLabCiLocal.artifacts(repo.repo, job).resolve("rollout.env")).as(job).exists();
            }
        }
    }

    @Test
    void eachRolloutJobStartsExactlyOneJvm() throws Exception {
        GitLabCiLocal.Run run = goodPipeline();
        assertThat(run.exitCode()).as(run.output()).isZero();

        // start, canary, promote:canary, everyone: four jobs, four JVMs (the CLI runs inside the adapter's JVM)
        try (var files = Files.list(good.root.resolve("jvms"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("jvm-")).count()).isEqualTo(4);
        }
    }

    @Test
    void deployScriptsSeeOnlyWhatThePlanPassesThemNeverTheJobsSecrets() throws Exception {
        GitLabCiLocal.Run run = goodPipeline();
        assertThat(run.exitCode()).as(run.output()).isZero();

        for (String ring : List.of("canary", "everyone")) {
            String env = Files.readString(good.deployDir.resolve("env.deploy." + ring));
            assertThat(env).contains("ROLLOUT_RING=" + ring, "ROLLOUT_VERSION=2.0.0", "DEPLOY_DIR=" + good.deployDir)
                    .doesNotContain(METRICS_TOKEN, HOST_SECRET, "CI_JOB_TOKEN", "JAVA_TOOL_OPTIONS", "SR_STORE");
            assertThat(env.lines().map(l -> l.substring(0, l.indexOf('='))))
                    .allMatch(name -> name.startsWith("ROLLOUT_") || name.equals("DEPLOY_DIR") || name.equals("PWD")
                            || name.equals("SHLVL") || name.equals("_") || name.startsWith("LC_")
                            || io.stagedrollout.core.action.ActionEnvironment.BASE.contains(name), "a base, plan or rollout variable");
        }
    }

    @Test
    void everyTransitionIsJournaledWithTheGitLabJobThatMadeIt() throws Exception {
        GitLabCiLocal.Run run = goodPipeline();
        assertThat(run.exitCode()).as(run.output()).isZero();

        JsonNode events = good.rollout("history", "--rollout", RolloutRepo.KEY).path("events");

        assertThat(events.size()).isGreaterThan(3);
        java.util.Set<String> jobUrls = new java.util.HashSet<>();
        for (JsonNode e : events) {
            assertThat(e.at("/actor/via").asText()).as(e.toString()).isEqualTo("gitlab");
            assertThat(e.at("/actor/name").asText()).as(e.toString()).isNotBlank();
            assertThat(e.at("/actor/url").asText()).as(e.toString()).matches("https://gitlab\\.com/acme/app/-/jobs/\\d+");
            jobUrls.add(e.at("/actor/url").asText());
        }
        assertThat(jobUrls).as("start, canary, promote and everyone are different jobs").hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void badVersionFailsTheCanaryGateRollsBackAndTheJobFailsThePipeline() throws Exception {
        CheckoutService[] service = new CheckoutService[1];
        RolloutRepo repo = repo("bad", service);
        try (CheckoutService ignored = service[0]) {
            GitLabCiLocal.Run run = pipeline(repo, "2.0.0-bad");

            assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
            assertThat(run.output()).contains("FAIL  rollout:canary", "PASS  rollout:rollback:canary")
                    .doesNotContain("rollout:everyone  starting");
            JsonNode status = repo.rollout("status", "--rollout", RolloutRepo.KEY);
            assertThat(status.at("/rollout/status").asText()).isEqualTo("ROLLED_BACK");
            assertThat(repo.deployLog()).contains("deploy canary 2.0.0-bad", "revert")
                    .doesNotContain("deploy everyone");
            assertThat(Files.readString(repo.deployedVersionFile())).isEqualTo("1.0.0");
            String xml = Files.readString(GitLabCiLocal.artifacts(repo.repo, "rollout:canary").resolve("gates.xml"));
            assertThat(xml).contains("name=\"error-rate\"").contains("<failure type=\"FAIL\"");
        }
    }

    @Test
    void deployFreezeKeepsEveryDeployingJobOutOfThePipeline() throws Exception {
        CheckoutService[] service = new CheckoutService[1];
        RolloutRepo repo = repo("freeze", service);
        try (CheckoutService ignored = service[0]) {
            GitLabCiLocal.Run run = gitlabCiLocal.run(repo.repo, List.of("--list",
                    "--variable", "CI_DEPLOY_FREEZE=true", "--variable", "APP_VERSION=2.0.0"));

            assertThat(run.exitCode()).as(run.output()).isZero();
            List<String> jobs = run.output().lines().map(l -> l.split("\\s+")[0]).toList();
            assertThat(jobs).contains("rollout:rollback", "release-notes").doesNotContain("rollout:start",
                    "rollout:canary", "rollout:promote:canary", "rollout:rollback:canary", "rollout:everyone");
            assertThat(repo.deployLog()).isEmpty();
        }
    }
}
