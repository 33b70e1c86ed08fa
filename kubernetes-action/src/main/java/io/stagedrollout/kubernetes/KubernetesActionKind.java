package io.stagedrollout.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.action.ActionKind;
import io.stagedrollout.core.action.ActionRequest;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.plan.ActionSpec;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.SpecReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code kubernetes} action kind: shifts a ring's exposure by replica ratio ({@code mode: replicas}) or by
 * Gateway API HTTPRoute weights ({@code mode: httproute}). Registered through
 * {@code META-INF/services/io.stagedrollout.core.action.ActionKind}.
 */
public final class KubernetesActionKind implements ActionKind {
    public static final String KIND = "kubernetes";
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private final Function<ActionEnvironment, ClusterConnector> connectors;
    private final Duration pollInterval;

    /** For ServiceLoader: clients configured from the kubeconfig (the step's KUBECONFIG first) or the pod's service account. */
    public KubernetesActionKind() {
        this(env -> ClusterConnector.standard(env.env() == null ? Map.of() : env.env(),
                env.workDir() == null ? Path.of("") : env.workDir()), POLL_INTERVAL);
    }

    /** Every action connects through {@code connector} (tests; a caller that manages its client). */
    public KubernetesActionKind(ClusterConnector connector, Duration pollInterval) {
        this(env -> connector, pollInterval);
    }

    private KubernetesActionKind(Function<ActionEnvironment, ClusterConnector> connectors, Duration pollInterval) {
        this.connectors = connectors;
        this.pollInterval = pollInterval;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public void validate(SpecReader fields) {
        KubernetesSettings.read(fields);
    }

    @Override
    public Action open(ActionSpec spec, ActionEnvironment env) {
        List<Problem> problems = new ArrayList<>();
        SpecReader reader = SpecReader.of(spec.settings(), "actions." + spec.name(), problems);
        KubernetesSettings settings = KubernetesSettings.read(reader);
        reader.finish();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("action '" + spec.name() + "' is not a valid kubernetes action: "
                    + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        }
        ClusterConnector connector = connectors.apply(env);
        return switch (settings.mode()) {
            case REPLICAS -> new ReplicaShift(settings, connector, pollInterval);
            case HTTPROUTE -> new RouteShift(settings, connector, pollInterval);
        };
    }

    static String namespace(KubernetesClient client, KubernetesSettings settings) {
        return settings.namespace().orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    }

    /** The action's work against a client; throws {@link ActionFailure} for a cluster that is not as planned. */
    interface Work {
        ActionResult apply(KubernetesClient client, Consumer<String> output) throws InterruptedException;
    }

    /** Runs {@code work}, turning every failure but interruption into a failed result with a clear message. */
    static ActionResult guarded(ActionRequest request, ClusterConnector connector, KubernetesSettings settings,
            Work work) throws InterruptedException {
        Consumer<String> output = request.output() == null ? line -> {} : request.output();
        try {
            return connector.withClient(settings.context(), client -> {
                try {
                    return work.apply(client, output);
                } catch (InterruptedException e) {
                    throw new Interrupted(e);
                } catch (KubernetesClientException e) {
                    if (interrupted(e)) throw new Interrupted(asInterruption(e));
                    throw new ActionFailure("Kubernetes API " + server(client) + ": " + describe(e));
                }
            });
        } catch (Interrupted e) {
            throw e.cause;
        } catch (ActionFailure | IllegalArgumentException e) {
            return failed(output, e.getMessage());
        } catch (KubernetesClientException e) { // building the client: a kubeconfig it cannot use
            if (interrupted(e)) throw asInterruption(e);
            return failed(output, "Kubernetes client: " + describe(e));
        }
    }

    private static boolean interrupted(KubernetesClientException e) {
        return Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException;
    }

    private static InterruptedException asInterruption(KubernetesClientException e) {
        InterruptedException interrupted = new InterruptedException("interrupted while calling the Kubernetes API");
        interrupted.initCause(e);
        return interrupted;
    }

    /** The API server's address without any user info, so people see which cluster failed. */
    private static String server(KubernetesClient client) {
        try {
            java.net.URL url = client.getMasterUrl();
            return url == null ? "" : "at " + url.getProtocol() + "://" + url.getHost()
                    + (url.getPort() > 0 ? ":" + url.getPort() : "");
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static ActionResult failed(Consumer<String> output, String message) {
        output.accept("failed: " + message);
        return ActionResult.failed(message);
    }

    /** The API's own message, or the client's plus the root cause (connection refused, TLS, unknown host). */
    private static String describe(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null && !e.getStatus().getMessage().isBlank()) {
            return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + e.getStatus().getMessage();
        }
        String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ").trim();
        // the first cause that says something (ConnectException: Connection refused), else the deepest one's type
        String cause = null;
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !(t instanceof KubernetesClientException)) {
                cause = t.getClass().getSimpleName() + ": " + t.getMessage();
                break;
            }
            cause = t.getClass().getSimpleName();
        }
        if (cause != null) {
            message = message.isEmpty() ? cause : message + " (" + cause + ")";
        }
        return (e.getCode() > 0 ? "HTTP " + e.getCode() + ": " : "") + message;
    }

    /** Carries an interruption out of the connector's lambda. */
    private static final class Interrupted extends RuntimeException {
        final InterruptedException cause;

        Interrupted(InterruptedException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
