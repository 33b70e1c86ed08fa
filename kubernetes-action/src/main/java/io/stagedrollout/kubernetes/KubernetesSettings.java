package io.stagedrollout.kubernetes;

import io.stagedrollout.core.plan.SpecReader;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The fields of a {@code kind: kubernetes} action, read and checked through {@link SpecReader} so that every problem
 * names its field. Fields that belong to the other mode are errors, not silently ignored.
 */
public record KubernetesSettings(
        Mode mode,
        Optional<String> context,
        Optional<String> namespace,
        Duration readyTimeout,
        Optional<String> stableDeployment,
        Optional<String> canaryDeployment,
        Optional<String> container,
        Optional<ImageTemplate> image,
        Optional<Integer> replicas,
        Optional<RouteTarget> route) {

    public enum Mode {
        /** Replica ratio between a stable and a canary Deployment. */
        REPLICAS,
        /** Weights on a Gateway API HTTPRoute's backendRefs. */
        HTTPROUTE
    }

    /** An HTTPRoute whose rules send traffic to the stable and the canary Service. */
    public record RouteTarget(String name, String stableService, String canaryService, int weightTotal) {}

    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofMinutes(5);
    public static final int MAX_REPLICAS = 10_000;
    /** Gateway API caps a backendRef weight at 1,000,000. */
    public static final int MAX_WEIGHT_TOTAL = 1_000_000;

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    /**
     * Reads every field, reporting problems to {@code r} (its {@link SpecReader#finish()} is left to the caller).
     * The result is only meaningful when no problem was reported.
     */
    public static KubernetesSettings read(SpecReader r) {
        r.raw("kind"); // the plan reader's field, present when the settings carry it
        String modeText = r.choice("mode", null, "replicas", "httproute");
        if (modeText == null && !r.has("mode")) {
            r.problem("mode", "is required: replicas (stable/canary Deployment replica ratio) or httproute "
                    + "(Gateway API HTTPRoute weights)");
        }
        Mode mode = "httproute".equals(modeText) ? Mode.HTTPROUTE : "replicas".equals(modeText) ? Mode.REPLICAS : null;

        Optional<String> context = r.string("context");
        context.filter(String::isBlank).ifPresent(c -> r.problem("context", "must not be empty"));
        Optional<String> namespace = name(r, "namespace", DNS_LABEL, 63, "a DNS label (lowercase letters, digits, '-')");
        Duration readyTimeout = r.duration("readyTimeout", DEFAULT_READY_TIMEOUT);

        Optional<String> stable = name(r, "stableDeployment", DNS_SUBDOMAIN, 253, "a Deployment name");
        Optional<String> canary = name(r, "canaryDeployment", DNS_SUBDOMAIN, 253, "a Deployment name");
        Optional<String> container = name(r, "container", DNS_LABEL, 63, "a container name");
        Optional<ImageTemplate> image = r.string("image").flatMap(t -> {
            Optional<String> p = ImageTemplate.problem(t);
            p.ifPresent(msg -> r.problem("image", msg));
            return p.isPresent() ? Optional.empty() : Optional.of(new ImageTemplate(t));
        });
        Optional<Integer> replicas = r.optionalInteger("replicas", 1, MAX_REPLICAS);

        Optional<String> routeName = name(r, "route", DNS_SUBDOMAIN, 253, "an HTTPRoute name");
        Optional<String> stableService = name(r, "stableService", DNS_1035_LABEL, 63,
                "a Service name (lowercase letters, digits, '-', starting with a letter)");
        Optional<String> canaryService = name(r, "canaryService", DNS_1035_LABEL, 63,
                "a Service name (lowercase letters, digits, '-', starting with a letter)");
        Optional<Integer> weightTotal = r.optionalInteger("weightTotal", 1, MAX_WEIGHT_TOTAL);

        if (stable.isPresent() && stable.equals(canary)) {
            r.problem("canaryDeployment", "must differ from stableDeployment ('" + stable.get() + "')");
        }
        Optional<RouteTarget> route = Optional.empty();
        if (mode == Mode.REPLICAS) {
            require(r, stable, "stableDeployment", "the Deployment running the stable version");
            require(r, canary, "canaryDeployment", "the Deployment that runs the new version");
            require(r, r.has("image") ? Optional.of("") : Optional.empty(), "image",
                    "the canary's image with " + ImageTemplate.PLACEHOLDER + ", e.g. registry.example.com/app:"
                            + ImageTemplate.PLACEHOLDER);
            for (String f : new String[] {"route", "stableService", "canaryService", "weightTotal"}) {
                notInMode(r, f, "httproute");
            }
        } else if (mode == Mode.HTTPROUTE) {
            require(r, routeName, "route", "the HTTPRoute whose backendRefs get the weights");
            require(r, stableService, "stableService", "the Service of the stable version");
            require(r, canaryService, "canaryService", "the Service of the new version");
            if (stableService.isPresent() && stableService.equals(canaryService)) {
                r.problem("canaryService", "must differ from stableService ('" + stableService.get() + "')");
            }
            notInMode(r, "replicas", "replicas");
            // the Deployments are optional here: with them the action also sets the canary's image and promotes
            if (r.has("canaryDeployment") != r.has("image")) {
                r.problem(r.has("image") ? "canaryDeployment" : "image",
                        "canaryDeployment and image go together: set both to have the action put the new version on "
                                + "the canary Deployment, or neither");
            }
            if (r.has("stableDeployment") && !r.has("canaryDeployment")) {
                r.problem("stableDeployment", "needs canaryDeployment and image (promotion copies the new image "
                        + "to the stable Deployment)");
            }
            if (r.has("container") && !r.has("image")) {
                r.problem("container", "is only used with canaryDeployment and image");
            }
            if (routeName.isPresent() && stableService.isPresent() && canaryService.isPresent()) {
                route = Optional.of(new RouteTarget(routeName.get(), stableService.get(), canaryService.get(),
                        weightTotal.orElse(100)));
            }
        }
        return new KubernetesSettings(mode, context, namespace, readyTimeout, stable, canary, container, image,
                replicas, route);
    }

    private static Optional<String> name(SpecReader r, String field, Pattern pattern, int max, String what) {
        Optional<String> v = r.string(field);
        if (v.isPresent() && (v.get().length() > max || !pattern.matcher(v.get()).matches())) {
            r.problem(field, "must be " + what + " of at most " + max + " characters, not '" + v.get() + "'");
            return Optional.empty();
        }
        return v;
    }

    private static void require(SpecReader r, Optional<?> value, String field, String what) {
        if (value.isEmpty() && !r.has(field)) {
            r.problem(field, "is required with mode: " + (r.raw("mode") == null ? "" : r.raw("mode").asText())
                    + " (" + what + ")");
        }
    }

    private static void notInMode(SpecReader r, String field, String mode) {
        if (r.has(field)) {
            r.problem(field, "is only used with mode: " + mode);
        }
    }
}
