package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import hudson.PluginWrapper;
import hudson.model.FreeStyleProject;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.steps.CanaryStageStep;
import io.jenkins.plugins.stagedrollout.steps.CredentialBinding;
import io.jenkins.plugins.stagedrollout.steps.PromoteStep;
import io.jenkins.plugins.stagedrollout.steps.RollbackStep;
import io.jenkins.plugins.stagedrollout.steps.RolloutStatusStep;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.htmlunit.Page;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepConfigTester;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Every view of the plugin (each {@code .jelly} and help {@code .html} under src/main/resources) is rendered once by
 * the real Jenkins, found by its path; a view added without a way to load it here fails the test. A form view must
 * render an input for each of its {@code field}s, so a broken message key or expression that drops a section is seen.
 */
@WithJenkins
class EveryViewITest {
    static final Path RESOURCES = Path.of("src/main/resources");
    static final Pattern FIELD = Pattern.compile("field=\"(\\w+)\"");
    static final Map<String, Step> STEPS = Map.of(
            CanaryStageStep.class.getName(), new CanaryStageStep(KEY, "canary"),
            PromoteStep.class.getName(), new PromoteStep(KEY),
            RollbackStep.class.getName(), new RollbackStep(KEY, "latency"),
            RolloutStatusStep.class.getName(), new RolloutStatusStep(KEY));

    @Test
    void everyViewOfThePluginRenders(JenkinsRule j) throws Exception {
        List<Path> views;
        try (Stream<Path> files = Files.walk(RESOURCES)) {
            views = files.filter(f -> f.toString().endsWith(".jelly") || f.toString().endsWith(".html")).sorted().toList();
        }
        assertThat(views).hasSizeGreaterThan(20);
        try (HealthServer health = new HealthServer()) {
            WorkflowRun b = waitingBuild(j, health);
            JenkinsRule.WebClient wc = j.createWebClient();
            wc.getOptions().setJavaScriptEnabled(false);
            List<String> rendered = new ArrayList<>();
            for (Path view : views) {
                rendered.add(render(j, wc, b, RESOURCES.relativize(view).toString().replace('\\', '/'), view));
            }
            assertThat(rendered).hasSameSizeAs(views);
        }
    }

    WorkflowRun waitingBuild(JenkinsRule j, HealthServer health) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "deploy");
        p.setDefinition(new CpsFlowDefinition(Pipelines.threeStages(Pipelines.plan(health.url(), "1s"), "v1"), true));
        WorkflowRun b = p.scheduleBuild2(0).waitForStart();
        j.waitForMessage("waits for a person to promote it", b);
        return b;
    }

    /** Loads {@code path} the way Jenkins shows it and checks what it must contain; returns what was loaded. */
    String render(JenkinsRule j, JenkinsRule.WebClient wc, WorkflowRun b, String path, Path file) throws Exception {
        String[] parts = path.split("/");
        String name = parts[parts.length - 1];
        String owner = parts.length >= 2 ? String.join(".", List.of(parts).subList(0, parts.length - 1)) : "";
        if (path.equals("index.jelly")) {
            PluginWrapper plugin = j.jenkins.getPluginManager().getPlugin("staged-rollout");
            assertThat(plugin).as("the plugin under test").isNotNull();
            // the plugin manager's description; a plugin under test loaded from target/classes has no index page URL
            URL index = plugin.getIndexPage() != null ? plugin.getIndexPage() : EveryViewITest.class.getResource("/index.jelly");
            try (InputStream in = index.openStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("canaryStage");
            }
            return path;
        }
        if (name.startsWith("help") && name.endsWith(".html")) {
            String field = name.equals("help.html") ? "" : "/" + name.substring("help-".length(), name.length() - ".html".length());
            String html = get(wc, "descriptorByName/" + owner + "/help" + field);
            assertThat(html).as(path).isNotBlank().doesNotContain("Exception");
            return path;
        }
        if (name.equals("config.jelly") && (STEPS.containsKey(owner) || owner.equals(CredentialBinding.class.getName()))) {
            // a credential binding is a repeatable item of canaryStage's form (and of promote's and rollback's)
            Step step = STEPS.getOrDefault(owner, STEPS.get(CanaryStageStep.class.getName()));
            FreeStyleProject p = j.createFreeStyleProject();
            p.getBuildersList().add(new StepConfigTester.StepBuilder(step));
            assertFields(path, file, get(wc, p.getUrl() + "configure"));
            return path;
        }
        if (name.equals("config.jelly")) { // a global configuration: a section of Manage Jenkins » System
            assertFields(path, file, get(wc, "manage/configure"));
            return path;
        }
        switch (path) {
            case "io/jenkins/plugins/stagedrollout/web/RolloutRunAction/index.jelly" ->
                    assertThat(get(wc, b.getUrl() + "staged-rollout/")).contains(KEY).contains("AWAITING_APPROVAL");
            case "io/jenkins/plugins/stagedrollout/web/RolloutRunAction/summary.jelly" ->
                    assertThat(get(wc, b.getUrl())).contains("Staged rollout").contains(KEY);
            case "io/jenkins/plugins/stagedrollout/web/RolloutsRootAction/index.jelly" ->
                    assertThat(get(wc, "staged-rollouts/")).contains("Staged Rollouts").contains(KEY);
            case "io/jenkins/plugins/stagedrollout/logic/RolloutView/rollout.jelly" ->
                    assertThat(get(wc, b.getUrl() + "staged-rollout/")).contains("Gates of ring").contains("early-adopters");
            default -> fail("no rule in this test loads the view " + path + ": add one");
        }
        return path;
    }

    static String get(JenkinsRule.WebClient wc, String url) throws Exception {
        Page page = wc.goTo(url, null);
        assertThat(page.getWebResponse().getStatusCode()).as("GET " + url).isEqualTo(200);
        return page.getWebResponse().getContentAsString();
    }

    static void assertFields(String path, Path file, String html) throws IOException {
        String jelly = Files.readString(file);
        Matcher m = FIELD.matcher(jelly);
        while (m.find()) {
            // a repeatable property renders its items as chunks named after the field, their own fields inside
            String name = jelly.contains("repeatableProperty field=\"" + m.group(1) + "\"") ? m.group(1) : "_." + m.group(1);
            assertThat(html).as(path + " renders its field " + m.group(1)).contains("name=\"" + name + "\"");
        }
    }
}
