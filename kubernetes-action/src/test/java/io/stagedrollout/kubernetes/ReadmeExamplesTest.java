package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The plans users copy from the README are valid plans. */
class ReadmeExamplesTest {

    private static List<String> examplePlans() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> plans = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).startsWith("service:")) plans.add(m.group(1));
        }
        return plans;
    }

    @Test
    void everyExamplePlanValidates() throws Exception {
        List<String> plans = examplePlans();
        assertThat(plans).hasSize(2);
        List<String> modes = new ArrayList<>();
        for (String text : plans) {
            RolloutPlan plan = PlanReader.parse(text);
            assertThat(plan.actions().get("deploy").kind()).isEqualTo("kubernetes");
            assertThat(plan.actions().get("revert").settings()).containsEntry("mode", plan.actions().get("deploy").settings().get("mode"));
            modes.add((String) plan.actions().get("deploy").settings().get("mode"));
        }
        assertThat(modes).containsExactly("replicas", "httproute");
    }
}
