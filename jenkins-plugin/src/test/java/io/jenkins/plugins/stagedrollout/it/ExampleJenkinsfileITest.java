package io.jenkins.plugins.stagedrollout.it;

import static io.jenkins.plugins.stagedrollout.it.Pipelines.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.ParametersAction;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Result;
import hudson.model.StringParameterDefinition;
import hudson.model.StringParameterValue;
import hudson.util.Secret;
import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.fixtures.FakePrometheus;
import io.jenkins.plugins.stagedrollout.fixtures.HealthServer;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.steps.CanaryStageStep;
import io.jenkins.plugins.stagedrollout.steps.PromoteStep;
import io.jenkins.plugins.stagedrollout.steps.RollbackStep;
import io.jenkins.plugins.stagedrollout.steps.RolloutStatusStep;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * examples/Jenkinsfile end to end, with examples/plans/jenkins.yaml: a release goes through its three rings (a person
 * promotes the manual one), a later build that fails before its rollout started reverts nothing, and a build whose
 * canary fails rolls back only its own rollout, to the release before it.
 *
 * <p>The test Jenkins has the Pipeline plugins but not Declarative Pipeline, SCM or {@code readTrusted}, so the test
 * runs the example the way Declarative would: the {@code steps} of its stages in order, then its {@code post} blocks
 * ({@code success}; {@code failure} / {@code aborted} on an exception) — every step call exactly as the example writes
 * it ({@link DeclarativeExample}). {@code readTrusted('rollout.yaml')} reads the example plan, with its gates pointed at
 * local endpoints and its bakes shortened; {@code checkout scm} writes the service's {@code deploy.sh}.
 *
 * <p>Both example Jenkinsfiles also call the steps the way the Pipeline runtime binds them: each call's named
 * arguments are parameters of the step's model (the one the Snippetizer and the CPS runtime use), every required one
 * is given, and the Snippetizer writes the same call back (step → Groovy → the same argument names; Groovy arguments →
 * step → equal step).
 */
@WithJenkins
class ExampleJenkinsfileITest {
    @RegisterExtension
    static BuildWatcherExtension buildWatcher = new BuildWatcherExtension();

    HealthServer health;
    FakePrometheus prometheus;

    @BeforeEach
    void start() throws Exception {
        health = new HealthServer();
        prometheus = new FakePrometheus();
    }

    @AfterEach
    void stop() {
        prometheus.close();
        health.close();
    }

    static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) return dir.resolve(relative);
        }
        throw new AssertionError(relative + " not found");
    }

    WorkflowJob exampleJob(JenkinsRule j) throws Exception {
        j.jenkins.setLabelString("deploy"); // the example's node('deploy')
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "prometheus-token", "metrics", Secret.fromString("s3cret-prometheus-token")));
        RolloutConfiguration.get().setMetricsUrl(prometheus.url());
        RolloutConfiguration.get().setCredentialsId("prometheus-token");

        String plan = Files.readString(repositoryFile("examples/plans/jenkins.yaml"))
                .replace("https://checkout.example.com/healthz", health.url())
                .replaceAll("bake: \\d+m", "bake: 2s").replace("interval: 1m", "interval: 1s");
        // deploy.sh prints what it was given; in the Groovy string every $ is escaped
        String deploySh = "#!/bin/sh\\necho \\\"deploy.sh $* version=$ROLLOUT_VERSION ring=$ROLLOUT_RING percent=$ROLLOUT_PERCENT\\\"\\n"
                .replace("$", "\\$");
        String script = DeclarativeExample.scripted(Files.readString(repositoryFile("examples/Jenkinsfile")))
                .replace("readTrusted('rollout.yaml')", "'''" + plan + "'''")
                .replace("checkout scm", "writeFile file: 'deploy.sh', text: \"" + deploySh + "\"; sh 'chmod +x deploy.sh'");
        WorkflowJob p = j.createProject(WorkflowJob.class, "checkout-deploy");
        p.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("VERSION", "")));
        p.setDefinition(new CpsFlowDefinition(script, true));
        return p;
    }

    static WorkflowRun build(WorkflowJob p, String version) throws Exception {
        return p.scheduleBuild2(0, new ParametersAction(new StringParameterValue("VERSION", version))).waitForStart();
    }

    RolloutState current() throws Exception {
        return Rollouts.host().service().read(KEY).orElseThrow();
    }

    void releaseThroughAllRings(JenkinsRule j, WorkflowJob p, String version) throws Exception {
        WorkflowRun b = build(p, version);
        j.waitForMessage("waits for a person to promote it", b);
        WebRequest promote = new WebRequest(new URL(j.getURL(), b.getUrl() + "staged-rollout/promote?rollout=" + KEY
                + "&ring=early-adopters&rolloutId=" + current().id()), HttpMethod.POST);
        JenkinsRule.WebClient wc = j.createWebClient();
        wc.addCrumb(promote);
        wc.getPage(promote);
        j.assertBuildStatusSuccess(j.waitForCompletion(b));
        j.assertLogContains("version=" + version + " ring=canary percent=5", b);
        j.assertLogContains("version=" + version + " ring=everyone percent=100", b);
        j.assertLogContains(": COMPLETED, last good version " + version, b);
    }

    @Test
    void aReleaseGoesThroughItsRingsAndTheGatesGetOnlyTheBoundToken(JenkinsRule j) throws Exception {
        WorkflowJob p = exampleJob(j);

        releaseThroughAllRings(j, p, "1.0.0");

        assertThat(current().status()).isEqualTo(Status.COMPLETED);
        assertThat(prometheus.authorizations()).isNotEmpty().containsOnly("Bearer s3cret-prometheus-token");
        assertThat(health.hits()).isPositive();
    }

    @Test
    void aBuildThatFailsBeforeItsRolloutStartedRevertsNothing(JenkinsRule j) throws Exception {
        WorkflowJob p = exampleJob(j);
        releaseThroughAllRings(j, p, "1.0.0");
        RolloutState released = current();

        WorkflowRun early = j.waitForCompletion(build(p, "")); // an empty VERSION: the canary stage refuses to start

        j.assertBuildStatus(Result.FAILURE, early);
        j.assertLogContains("give canaryStage both plan: and version:", early);
        j.assertLogContains("nothing to roll back: this build took part in no rollout of " + KEY, early);
        j.assertLogNotContains("deploy.sh --revert", early);
        assertThat(current().status()).isEqualTo(Status.COMPLETED);
        assertThat(current().revision()).isEqualTo(released.revision());
    }

    @Test
    void aFailingCanaryRollsBackOnlyItsOwnRolloutToTheReleaseBefore(JenkinsRule j) throws Exception {
        WorkflowJob p = exampleJob(j);
        releaseThroughAllRings(j, p, "1.0.0");
        health.answer(503);

        WorkflowRun bad = j.waitForCompletion(build(p, "1.1.0"));

        j.assertBuildStatus(Result.FAILURE, bad);
        j.assertLogContains("ring canary FAIL", bad);
        j.assertLogContains("deploy.sh --revert version=1.0.0 ring=", bad);
        assertThat(current().version()).isEqualTo("1.1.0");
        assertThat(current().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(Rollouts.host().service().history(KEY)).filteredOn(e -> e.type().equals("ROLLBACK_STARTED"))
                .extracting(RolloutEvent::rolloutId).containsOnly(current().id());
    }

    static final Map<String, Class<? extends Step>> STEPS = Map.of(
            "canaryStage", CanaryStageStep.class,
            "promote", PromoteStep.class,
            "rollback", RollbackStep.class,
            "rolloutStatus", RolloutStatusStep.class);

    /** One step call found in a Jenkinsfile: the step's name and its named arguments (values as written). */
    record Call(String step, Map<String, String> arguments) {}

    @Test
    void theExampleJenkinsfilesCallTheStepsAsTheirModelsBindThem(JenkinsRule j) throws Exception {
        List<Call> calls = new ArrayList<>();
        for (String file : new String[] {"../examples/Jenkinsfile", "../examples/jenkins-local/Jenkinsfile"}) {
            Path p = Path.of(file);
            if (Files.exists(p)) calls.addAll(calls(Files.readString(p)));
        }
        assertThat(calls).extracting(Call::step).contains("canaryStage", "rollback", "rolloutStatus");

        for (Call call : calls) {
            DescribableModel<? extends Step> model = DescribableModel.of(STEPS.get(call.step()));
            Set<String> known = model.getParameters().stream().map(DescribableParameter::getName).collect(Collectors.toSet());
            Set<String> required = model.getParameters().stream().filter(DescribableParameter::isRequired)
                    .map(DescribableParameter::getName).collect(Collectors.toSet());
            assertThat(known).as(call + ": arguments the step knows").containsAll(call.arguments().keySet());
            assertThat(call.arguments().keySet()).as(call + ": required arguments").containsAll(required);

            Map<String, Object> values = new LinkedHashMap<>();
            for (String k : call.arguments().keySet()) {
                Class<?> type = model.getParameter(k).getErasedType();
                values.put(k, type == boolean.class || type == Boolean.class ? (Object) true : "value of " + k);
            }
            Step step = model.instantiate(values);
            String snippet = Snippetizer.object2Groovy(step);
            List<Call> back = calls(snippet);
            Set<String> written;
            if (back.isEmpty()) { // the short form for a sole argument: rolloutStatus 'checkout/production'
                assertThat(snippet).as(snippet).startsWith(call.step() + " '");
                written = Set.of(model.getSoleRequiredParameter().getName());
            } else {
                assertThat(back).as(snippet).hasSize(1);
                written = back.get(0).arguments().keySet();
            }
            assertThat(new TreeSet<>(written)).as(snippet).isEqualTo(new TreeSet<>(call.arguments().keySet()));
            j.assertEqualDataBoundBeans(step, model.instantiate(DescribableModel.uninstantiate2_(step).toMap()));
        }
    }

    /** The calls of the four steps in Groovy text: a name, then a balanced argument list of {@code name: value}s. */
    static List<Call> calls(String groovy) {
        String text = withoutComments(groovy);
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            for (String name : STEPS.keySet()) {
                if (!text.startsWith(name + "(", i) || (i > 0 && Character.isJavaIdentifierPart(text.charAt(i - 1)))) continue;
                int open = i + name.length();
                int close = matching(text, open);
                calls.add(new Call(name, arguments(text.substring(open + 1, close))));
            }
        }
        return calls;
    }

    static String withoutComments(String groovy) {
        StringBuilder out = new StringBuilder();
        for (String line : groovy.split("\n", -1)) {
            int c = line.indexOf("//");
            out.append(c >= 0 && !line.substring(0, c).contains("'") ? line.substring(0, c) : line).append('\n');
        }
        return out.toString();
    }

    static int matching(String text, int open) {
        int depth = 0;
        char quote = 0;
        for (int k = open; k < text.length(); k++) {
            char ch = text.charAt(k);
            if (quote != 0) {
                if (ch == '\\') k++;
                else if (ch == quote) quote = 0;
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '(' || ch == '[' || ch == '{') {
                depth++;
            } else if (ch == ')' || ch == ']' || ch == '}') {
                if (--depth == 0) return k;
            }
        }
        throw new IllegalArgumentException("unbalanced call at " + open);
    }

    /** Splits {@code a: x, b: f(y, z)} at top-level commas into {a=x, b=f(y, z)}. */
    static Map<String, String> arguments(String list) {
        Map<String, String> args = new LinkedHashMap<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int k = 0; k <= list.length(); k++) {
            char ch = k < list.length() ? list.charAt(k) : ',';
            if (quote != 0) {
                if (ch == '\\') k++;
                else if (ch == quote) quote = 0;
                continue;
            }
            if (ch == '\'' || ch == '"') quote = ch;
            else if (ch == '(' || ch == '[' || ch == '{') depth++;
            else if (ch == ')' || ch == ']' || ch == '}') depth--;
            else if (ch == ',' && depth == 0) {
                String arg = list.substring(start, k).trim();
                int colon = arg.indexOf(':');
                if (colon > 0) args.put(arg.substring(0, colon).trim(), arg.substring(colon + 1).trim());
                start = k + 1;
            }
        }
        return args;
    }
}
