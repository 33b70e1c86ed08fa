package io.stagedrollout.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Issue 13.10/13.11: the docs and examples name one version, one manual ring, and files that exist. */
class DocsAgreeTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> DOCS = List.of("README.md", "gitlab-runner-step/README.md",
            "github-action/README.md", "examples/gitlab-ci.yml", "examples/github-workflow.yml");

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) found.add(m.group(1));
        return found;
    }

    @Test
    void everyVersionTheDocsNameIsTheProjectsVersion() throws Exception {
        String version = Repository.releaseVersion();
        String major = "v" + version.substring(0, version.indexOf('.'));
        for (String doc : DOCS) {
            String text = Repository.read(doc);
            assertThat(all(Pattern.compile("component: \\S+@([0-9][0-9A-Za-z.-]*)"), text)).as(doc).allMatch(version::equals);
            assertThat(all(Pattern.compile("github-action@(v[0-9.]+)\\b"), text)).as(doc)
                    .allMatch(v -> v.equals(major) || v.equals("v" + version));
            assertThat(all(Pattern.compile("packages/generic/rollout/([0-9][^/]*)/"), text)).as(doc).allMatch(version::equals);
            assertThat(all(Pattern.compile("releases/download/v([0-9][^/]*)/"), text)).as(doc).allMatch(version::equals);
            assertThat(all(Pattern.compile("rollout-([0-9]+\\.[0-9]+\\.[0-9]+)\\.tar\\.gz"), text)).as(doc).allMatch(version::equals);
        }
        // `rollout --version` prints the JAR's manifest version, which the build takes from the POM (the release job
        // sets the POM's version; HelpAndErrorsTest runs the packaged JAR's --version)
        assertThat(Repository.read("rollout-cli/pom.xml")).contains("<Implementation-Version>${project.version}</Implementation-Version>");
        assertThat(new ObjectMapper().readTree(Repository.read("github-action/package.json")).path("version").asText())
                .isEqualTo(version);
    }

    @Test
    void theManualRingIsTheSameInThePlanAndBothCiExamples() throws Exception {
        List<String> planManual = new ArrayList<>();
        for (JsonNode ring : YAML.readTree(Repository.read("examples/plans/rings.yaml")).path("rings")) {
            if ("manual".equals(ring.path("approval").asText())) planManual.add(ring.path("name").asText());
        }
        assertThat(planManual).containsExactly("early-adopters");

        List<String> gitlabManual = new ArrayList<>();
        for (JsonNode include : YAML.readTree(Repository.read("examples/gitlab-ci.yml")).path("include")) {
            JsonNode inputs = include.path("inputs");
            if ("manual".equals(inputs.path("approval").asText())) gitlabManual.add(inputs.path("ring").asText());
        }
        assertThat(gitlabManual).isEqualTo(planManual);

        List<String> githubPromoted = new ArrayList<>();
        JsonNode jobs = YAML.readTree(Repository.read("examples/github-workflow.yml")).path("jobs");
        jobs.forEach(job -> job.path("steps").forEach(step -> {
            if ("promote".equals(step.path("with").path("command").asText())) {
                githubPromoted.add(step.path("with").path("ring").asText());
            }
        }));
        assertThat(githubPromoted).isEqualTo(planManual);
    }

    @Test
    void everyRelativeLinkInTheDocsPointsToAFileInTheRepository() throws Exception {
        Pattern link = Pattern.compile("\\]\\(([^)#:\\s]+)(#[^)]*)?\\)");
        for (String doc : List.of("README.md", "gitlab-runner-step/README.md", "github-action/README.md")) {
            Path dir = Repository.root().resolve(doc).getParent();
            for (String target : all(link, Repository.read(doc))) {
                Path resolved = dir.resolve(target).normalize();
                assertThat(resolved.startsWith(Repository.root())).as(doc + " links " + target + " inside the repository").isTrue();
                assertThat(Files.exists(resolved)).as(doc + " links " + target).isTrue();
            }
        }
    }

    @Test
    void everyExitCodeTableKnowsExitSix() throws Exception {
        assertThat(Repository.read("README.md")).contains("| 6 | the revert itself failed");
        assertThat(Repository.read("github-action/README.md")).contains("| 6 | the revert failed");
        assertThat(Repository.read("gitlab-runner-step/README.md")).contains("6 the revert failed");
        assertThat(Repository.read("github-action/action.yml")).contains("6 the revert failed");
    }
}
