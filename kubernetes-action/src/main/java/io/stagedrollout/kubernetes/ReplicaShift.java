package io.stagedrollout.kubernetes;

import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionRequest;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.action.Operation;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code mode: replicas}: the ring's exposure becomes the share of pods running the new version, split between a
 * stable and a canary Deployment behind the same Service, the total kept.
 *
 * <p>Order matters for capacity: the Deployment that grows is changed first and waited for, then the other one
 * shrinks, so the pods serving traffic never drop below the total.
 *
 * <p>Promotion model (exposure 100%): the stable Deployment takes the new image at the full count and is waited
 * for, then the canary goes to 0. Afterwards the stable runs the new version and the canary is idle, ready for the
 * next rollout. Revert scales the stable back to the full count (and, when a promotion had already put the
 * reverted version on it, back to the stable version's image) and waits for it, then scales the canary to 0.
 */
final class ReplicaShift implements Action {
    static final String TOTAL_ANNOTATION = "staged-rollout.io/total-replicas";
    private final KubernetesSettings settings;
    private final ClusterConnector connector;
    private final Duration pollInterval;

    ReplicaShift(KubernetesSettings settings, ClusterConnector connector, Duration pollInterval) {
        this.settings = settings;
        this.connector = connector;
        this.pollInterval = pollInterval;
    }

    @Override
    public ActionResult run(ActionRequest request) throws InterruptedException {
        return KubernetesActionKind.guarded(request, connector, settings, (client, output) -> {
            RolloutVariables vars = RolloutVariables.of(request);
            Deployments deployments = new Deployments(client, KubernetesActionKind.namespace(client, settings),
                    output, pollInterval);
            return request.operation() == Operation.REVERT
                    ? revert(deployments, vars, output)
                    : deploy(deployments, vars, output);
        });
    }

    private String stable() {
        return settings.stableDeployment().orElseThrow();
    }

    private String canary() {
        return settings.canaryDeployment().orElseThrow();
    }

    /**
     * The total pods across both Deployments: the plan's {@code replicas}, else the total this rollout started
     * with, kept in an annotation on the stable Deployment. Summing the two counts again on every ring would drift
     * after a ring interrupted between growing the canary and shrinking the stable.
     */
    private int total(Deployments deployments) {
        if (settings.replicas().isPresent()) {
            return settings.replicas().get();
        }
        Optional<Integer> kept = deployments.annotation(stable(), TOTAL_ANNOTATION).flatMap(ReplicaShift::positive);
        if (kept.isPresent()) {
            return kept.get();
        }
        int total = Deployments.replicas(deployments.get(stable())) + Deployments.replicas(deployments.get(canary()));
        if (total < 1) {
            throw new ActionFailure("Deployments '" + stable() + "' and '" + canary() + "' have 0 replicas between "
                    + "them; set 'replicas' in the action to the total the service should run");
        }
        deployments.annotate(stable(), TOTAL_ANNOTATION, String.valueOf(total));
        return total;
    }

    private static Optional<Integer> positive(String s) {
        try {
            int i = Integer.parseInt(s.trim());
            return i > 0 ? Optional.of(i) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Once everything is back on the stable, the next rollout counts afresh (someone may scale in between). */
    private void forgetTotal(Deployments deployments) {
        if (settings.replicas().isEmpty()) {
            deployments.annotate(stable(), TOTAL_ANNOTATION, null);
        }
    }

    private ActionResult deploy(Deployments deployments, RolloutVariables vars, Consumer<String> output)
            throws InterruptedException {
        int total = total(deployments);
        String image = settings.image().orElseThrow().render(vars.requireVersion());
        Duration ready = settings.readyTimeout();
        if (vars.percent() >= 100) {
            deployments.update(stable(), settings.container(), Optional.of(image), Optional.of(total));
            deployments.awaitReady(stable(), ready);
            deployments.update(canary(), settings.container(), Optional.empty(), Optional.of(0));
            forgetTotal(deployments);
            String line = "promoted: stable " + total + "/" + total + " pods on " + image + " (100%), canary 0";
            output.accept(line);
            return ActionResult.ok(line);
        }
        Split split = vars.percent() == 0 ? new Split(0, total, 0) : Split.of(total, vars.percent());
        int canaryNow = Deployments.replicas(deployments.get(canary()));
        if (split.canary() >= canaryNow) {
            deployments.update(canary(), settings.container(), Optional.of(image), Optional.of(split.canary()));
            deployments.awaitReady(canary(), ready);
            deployments.update(stable(), settings.container(), Optional.empty(), Optional.of(split.stable()));
        } else {
            deployments.update(stable(), settings.container(), Optional.empty(), Optional.of(split.stable()));
            deployments.awaitReady(stable(), ready);
            deployments.update(canary(), settings.container(), Optional.of(image), Optional.of(split.canary()));
        }
        String line = "canary " + split.canary() + "/" + total + " pods (" + Split.percent(split.actualPercent())
                + (split.differsFrom(vars.percent()) ? ", asked " + Split.percent(vars.percent()) : "")
                + "), stable " + split.stable();
        output.accept(line);
        return new ActionResult(true, line, split.differsFrom(vars.percent()) ? split.actualPercent() : null);
    }

    private ActionResult revert(Deployments deployments, RolloutVariables vars, Consumer<String> output)
            throws InterruptedException {
        int total = total(deployments);
        Optional<String> image = StableImage.toRestore(deployments, stable(), settings, vars, output);
        deployments.update(stable(), settings.container(), image, Optional.of(total));
        deployments.awaitReady(stable(), settings.readyTimeout());
        deployments.update(canary(), settings.container(), Optional.empty(), Optional.of(0));
        forgetTotal(deployments);
        String line = "reverted: stable " + total + "/" + total + " pods on "
                + deployments.image(stable(), settings.container()) + ", canary 0";
        output.accept(line);
        return ActionResult.ok(line);
    }
}
