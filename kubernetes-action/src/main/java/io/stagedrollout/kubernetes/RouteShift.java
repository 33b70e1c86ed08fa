package io.stagedrollout.kubernetes;

import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionRequest;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.action.Operation;
import io.stagedrollout.kubernetes.KubernetesSettings.RouteTarget;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code mode: httproute}: the ring's exposure becomes the canary Service's weight on an HTTPRoute, out of
 * {@code weightTotal} (100 by default; 10000 allows steps of 0.01%).
 *
 * <p>With {@code canaryDeployment} and {@code image} the action first puts the new version on the canary Deployment
 * and waits for it. Promotion model (exposure 100%): with {@code stableDeployment} the stable Deployment takes the
 * new image and is waited for while the route still splits traffic, then the route sends everything to the stable
 * Service and nothing to the canary; without it the route sends everything to the canary Service and leaves the
 * Deployments alone. Revert sends everything back to the stable Service (after putting the stable Deployment back on
 * the stable version's image when a promotion had already given it the reverted version).
 */
final class RouteShift implements Action {
    private final KubernetesSettings settings;
    private final ClusterConnector connector;
    private final Duration pollInterval;

    RouteShift(KubernetesSettings settings, ClusterConnector connector, Duration pollInterval) {
        this.settings = settings;
        this.connector = connector;
        this.pollInterval = pollInterval;
    }

    @Override
    public ActionResult run(ActionRequest request) throws InterruptedException {
        return KubernetesActionKind.guarded(request, connector, settings, (client, output) -> {
            RolloutVariables vars = RolloutVariables.of(request);
            String namespace = KubernetesActionKind.namespace(client, settings);
            Deployments deployments = new Deployments(client, namespace, output, pollInterval);
            HttpRoutes routes = new HttpRoutes(client, namespace, target());
            return request.operation() == Operation.REVERT
                    ? revert(deployments, routes, vars, output)
                    : deploy(deployments, routes, vars, output);
        });
    }

    private RouteTarget target() {
        return settings.route().orElseThrow();
    }

    private ActionResult deploy(Deployments deployments, HttpRoutes routes, RolloutVariables vars,
            Consumer<String> output) throws InterruptedException {
        int total = target().weightTotal();
        Optional<String> image = settings.image().map(t -> t.render(vars.requireVersion()));
        if (image.isPresent()) {
            String canary = settings.canaryDeployment().orElseThrow();
            deployments.update(canary, settings.container(), image, Optional.empty());
            deployments.awaitReady(canary, settings.readyTimeout());
        }
        if (vars.percent() >= 100 && settings.stableDeployment().isPresent() && image.isPresent()) {
            String stable = settings.stableDeployment().get();
            deployments.update(stable, settings.container(), image, Optional.empty());
            deployments.awaitReady(stable, settings.readyTimeout());
            routes.setWeights(total, 0);
            String line = "promoted: route " + target().name() + " sends all to " + target().stableService()
                    + " (weight " + total + "), now on " + image.get() + "; " + target().canaryService() + " weight 0";
            output.accept(line);
            return ActionResult.ok(line);
        }
        Split split = vars.percent() == 0 ? new Split(0, total, 0) : Split.of(total, vars.percent());
        routes.setWeights(split.stable(), split.canary());
        String line = "route " + target().name() + ": " + target().canaryService() + " weight " + split.canary()
                + "/" + total + " (" + Split.percent(split.actualPercent())
                + (split.differsFrom(vars.percent()) ? ", asked " + Split.percent(vars.percent()) : "") + "), "
                + target().stableService() + " " + split.stable();
        output.accept(line);
        return new ActionResult(true, line, split.differsFrom(vars.percent()) ? split.actualPercent() : null);
    }

    private ActionResult revert(Deployments deployments, HttpRoutes routes, RolloutVariables vars,
            Consumer<String> output) throws InterruptedException {
        int total = target().weightTotal();
        if (settings.stableDeployment().isPresent()) {
            String stable = settings.stableDeployment().get();
            Optional<String> image = StableImage.toRestore(deployments, stable, settings, vars, output);
            if (image.isPresent()) {
                deployments.update(stable, settings.container(), image, Optional.empty());
                deployments.awaitReady(stable, settings.readyTimeout());
            }
        }
        routes.setWeights(total, 0);
        String line = "reverted: route " + target().name() + " sends all to " + target().stableService()
                + " (weight " + total + "), " + target().canaryService() + " weight 0";
        output.accept(line);
        return ActionResult.ok(line);
    }
}
