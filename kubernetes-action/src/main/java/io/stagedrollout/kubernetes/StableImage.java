package io.stagedrollout.kubernetes;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Which image a revert puts on the stable Deployment. Only a promotion ever changes the stable's image, so a revert
 * changes it back only when the stable runs the version being reverted (ROLLOUT_REVERTING_VERSION) and the stable
 * version is known (ROLLOUT_VERSION during a revert). Otherwise the stable keeps its image: it may have been deployed
 * by other means (a digest, another registry), and restarting it in the middle of an incident would do harm.
 */
final class StableImage {
    private StableImage() {}

    static Optional<String> toRestore(Deployments deployments, String stable, KubernetesSettings settings,
            RolloutVariables vars, Consumer<String> output) {
        if (settings.image().isEmpty() || vars.revertingVersion().isEmpty()) {
            return Optional.empty();
        }
        ImageTemplate template = settings.image().get();
        String current = deployments.image(stable, settings.container());
        if (!current.equals(template.render(vars.revertingVersion().get()))) {
            return Optional.empty(); // the stable never took the reverted version
        }
        if (vars.version().isEmpty()) {
            output.accept("deployment " + stable + " runs the reverted version " + vars.revertingVersion().get()
                    + ", but no stable version is known to go back to: its image stays");
            return Optional.empty();
        }
        return Optional.of(template.render(vars.version().get()));
    }
}
