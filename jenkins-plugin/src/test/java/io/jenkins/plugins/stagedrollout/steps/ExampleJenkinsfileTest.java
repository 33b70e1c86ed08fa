package io.jenkins.plugins.stagedrollout.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** examples/Jenkinsfile calls the steps with exactly the arguments they define, and every required one. */
class ExampleJenkinsfileTest {
    static final Map<String, Class<? extends Step>> STEPS = Map.of(
            "canaryStage", CanaryStageStep.class,
            "promote", PromoteStep.class,
            "rollback", RollbackStep.class,
            "rolloutStatus", RolloutStatusStep.class);
    static final Pattern CALL = Pattern.compile("\\b(canaryStage|promote|rollback|rolloutStatus)\\(((?:[^()]|\\([^()]*\\))*)\\)");
    static final Pattern ARG = Pattern.compile("(?:^|,)\\s*(\\w+)\\s*:");

    @Test
    void everyStepCallUsesOnlyDefinedArgumentsAndAllRequiredOnes() throws Exception {
        String text = Files.readString(example("examples/Jenkinsfile")).replaceAll("(?m)//.*$", "");
        Matcher m = CALL.matcher(text);
        List<String> calls = new ArrayList<>();
        while (m.find()) {
            Class<? extends Step> step = STEPS.get(m.group(1));
            Set<String> given = new HashSet<>();
            Matcher a = ARG.matcher(m.group(2).replaceAll("\\([^()]*\\)", "()"));
            while (a.find()) given.add(a.group(1));
            assertThat(allowed(step)).as(m.group(1) + " arguments").containsAll(given);
            assertThat(given).as(m.group(1) + " required arguments").containsAll(required(step));
            calls.add(m.group(1));
        }
        assertThat(calls).contains("canaryStage", "rollback", "rolloutStatus");
    }

    /** A file of the repository, found from wherever the build runs (the module or the stand-in build below it). */
    static Path example(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) return dir.resolve(relative);
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    static Set<String> required(Class<?> step) {
        Set<String> names = new HashSet<>();
        for (Constructor<?> c : step.getConstructors()) {
            if (!c.isAnnotationPresent(DataBoundConstructor.class)) continue;
            for (Parameter p : c.getParameters()) {
                assumeTrue(p.isNamePresent(), "compiled without -parameters");
                names.add(p.getName());
            }
        }
        return names;
    }

    static Set<String> allowed(Class<?> step) {
        Set<String> names = required(step);
        for (Method m : step.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class) && m.getName().startsWith("set")) {
                names.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
            }
        }
        return names;
    }

    @Test
    void theFailureRollbackIsBoundToThisBuildsRollout() throws Exception {
        String text = Files.readString(example("examples/Jenkinsfile")).replaceAll("(?m)//.*$", "");

        Matcher m = CALL.matcher(text);
        List<String> rollbacks = new ArrayList<>();
        while (m.find()) if (m.group(1).equals("rollback")) rollbacks.add(m.group(2));
        assertThat(rollbacks).isNotEmpty().allSatisfy(args -> assertThat(args).contains("thisBuildOnly: true"));
    }

    @Test
    void theExamplePlanWorksInJenkinsAsConfiguredByDefault() throws Exception {
        io.stagedrollout.core.plan.RolloutPlan plan = io.stagedrollout.core.plan.PlanReader.parse(
                Files.readString(example("examples/plans/jenkins.yaml")));

        new io.jenkins.plugins.stagedrollout.logic.PlanPolicy(false).check(plan); // no command actions, no file sources
        assertThat(plan.key()).isEqualTo("checkout/production");
        assertThat(plan.actions()).isEmpty(); // deploy and revert are the Jenkinsfile's step bodies
        for (var gate : plan.gates().values()) {
            // a gate measured on the controller must never ask the controller itself (Jenkins listens there)
            assertThat(String.valueOf(gate.settings())).as(gate.name())
                    .doesNotContain("127.0.0.1").doesNotContain("localhost").doesNotContain(":8080");
        }
    }
}
