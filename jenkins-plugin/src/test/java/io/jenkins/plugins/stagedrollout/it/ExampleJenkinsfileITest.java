package io.jenkins.plugins.stagedrollout.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.stagedrollout.steps.CanaryStageStep;
import io.jenkins.plugins.stagedrollout.steps.PromoteStep;
import io.jenkins.plugins.stagedrollout.steps.RollbackStep;
import io.jenkins.plugins.stagedrollout.steps.RolloutStatusStep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.structs.describable.DescribableModel;
import org.jenkinsci.plugins.structs.describable.DescribableParameter;
import org.jenkinsci.plugins.workflow.cps.Snippetizer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The example Jenkinsfiles call the steps the way the Pipeline runtime binds them: each call's named arguments are
 * parameters of the step's model (the one the Snippetizer and the CPS runtime use), every required one is given, and
 * the Snippetizer writes the same call back (step → Groovy → the same argument names; Groovy arguments → step → equal
 * step).
 */
@WithJenkins
class ExampleJenkinsfileITest {
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
            call.arguments().keySet().forEach(k -> values.put(k, "value of " + k));
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
