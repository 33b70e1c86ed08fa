package io.jenkins.plugins.stagedrollout.it;

/** Pipelines and plans for the Jenkins-harness tests: three rings, gates on a real local HTTP endpoint. */
final class Pipelines {
    static final String KEY = "checkout/production";

    private Pipelines() {}

    /** Aborts a build as an administrator would (the Abort button), whatever the test thread's authentication. */
    static void abort(org.jenkinsci.plugins.workflow.job.WorkflowRun b) throws Exception {
        try (hudson.security.ACLContext c = hudson.security.ACL.as2(hudson.security.ACL.SYSTEM2)) {
            b.doStop();
        }
    }

    /** Makes job {@code owner} own {@link #KEY} and grants {@code granted} (other jobs acting on the owner's rollout). */
    static void own(String owner, String... granted) {
        io.jenkins.plugins.stagedrollout.config.RolloutOwnership.get()
                .setRules(KEY + ": " + owner + (granted.length == 0 ? "" : "; " + String.join("; ", granted)));
    }

    /** canary (auto, bake {@code canaryBake}), early-adopters (manual, 1s), everyone (auto, 0s). */
    static String plan(String healthUrl, String canaryBake) {
        return """
                service: checkout
                environment: production
                rings:
                  - name: canary
                    exposure: 5%
                    bake: CANARY_BAKE
                    gates: [smoke]
                  - name: early-adopters
                    exposure: 25%
                    bake: 1s
                    gates: [smoke]
                    approval: manual
                  - name: everyone
                    exposure: 100%
                gates:
                  smoke:
                    kind: http
                    url: URL
                    expectStatus: 200
                    interval: 1s
                """.replace("URL", healthUrl).replace("CANARY_BAKE", canaryBake);
    }

    /** The three stages, outside node, the way examples/Jenkinsfile writes them; rollback when a stage fails. */
    static String threeStages(String planText, String version) {
        return "def plan = '''" + planText + "'''\n"
                + "try {\n"
                + "  canaryStage(rollout: '" + KEY + "', ring: 'canary', version: '" + version + "', planText: plan) {\n"
                + "    echo \"deploying ${env.ROLLOUT_VERSION} to ${env.ROLLOUT_RING} at ${env.ROLLOUT_PERCENT}%\"\n"
                + "  }\n"
                + "  canaryStage(rollout: '" + KEY + "', ring: 'early-adopters') {\n"
                + "    echo \"deploying ${env.ROLLOUT_VERSION} to ${env.ROLLOUT_RING} at ${env.ROLLOUT_PERCENT}%\"\n"
                + "  }\n"
                + "  canaryStage(rollout: '" + KEY + "', ring: 'everyone') {\n"
                + "    echo \"deploying ${env.ROLLOUT_VERSION} to ${env.ROLLOUT_RING} at ${env.ROLLOUT_PERCENT}%\"\n"
                + "  }\n"
                + "} catch (e) {\n"
                + "  rollback(rollout: '" + KEY + "', reason: 'pipeline failed') {\n"
                + "    echo \"reverting to ${env.ROLLOUT_VERSION}\"\n"
                + "  }\n"
                + "  throw e\n"
                + "}\n";
    }

    /** {@link #plan} with every ring frozen until {@code until} (an ISO-8601 instant): the canary waits for it. */
    static String frozenUntil(String healthUrl, java.time.Instant until) {
        return plan(healthUrl, "1s") + "freezes:\n  - {from: \"2000-01-01T00:00:00Z\", to: \"" + until
                + "\", reason: release freeze}\n";
    }

    /** One canary stage whose body waits in a node until the file {@code release} exists in the workspace. */
    static String canaryWaitingForFile(String planText, String version) {
        return "def plan = '''" + planText + "'''\n"
                + "canaryStage(rollout: '" + KEY + "', ring: 'canary', version: '" + version + "', planText: plan) {\n"
                + "  node {\n"
                + "    echo \"deploying ${env.ROLLOUT_VERSION} to ${env.ROLLOUT_RING}\"\n"
                + "    waitUntil(initialRecurrencePeriod: 250, quiet: true) { fileExists 'release' }\n"
                + "    echo 'deploy finished'\n"
                + "  }\n"
                + "}\n";
    }
}
