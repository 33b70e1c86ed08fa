package io.stagedrollout.core.notify;

import io.stagedrollout.core.http.BoundedHttp;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers notifications for committed events on a background thread, in order, with retries and exponential
 * backoff, so that a slow or dead endpoint never holds up the rollout. Each attempt is bounded as a whole by the
 * target's {@code timeout} (connecting, the answer and its body). A delivery that fails is handed to the
 * {@link FailureSink} (the engine journals it as NOTIFY_FAILED):
 * <ul>
 *   <li>when every attempt failed (network error, no complete answer in time, 5xx, 408 or 429), or at once on an
 *       answer that will not change (another 4xx) or when the URL's environment variable is unset or invalid;</li>
 *   <li>when the command ends first: {@link #close} waits at most its drain time (a second or two for a command) and
 *       reports every delivery still queued or in flight as not delivered, naming the attempt it had reached.</li>
 * </ul>
 * Each delivery is reported at most once. The URL is never put in a message: failures name the target and the HTTP
 * status or the kind of network error only.
 */
public final class Notifier implements AutoCloseable {
    /** How long closing waits for deliveries still queued or retrying: a command is never held up longer. */
    public static final Duration CLOSE_WAIT = Duration.ofMillis(1500);

    /** Told about deliveries that failed after every retry, or that the command's end cut short. */
    @FunctionalInterface
    public interface FailureSink {
        void failed(RolloutState state, NotifyTarget target, Notification notification, int attempts, String detail);
    }

    private final Map<String, String> env;
    private final HttpClient http;
    private final FailureSink sink;
    private final Duration drainWait;
    private final Set<Delivery> unsettled = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rollout-notify");
        t.setDaemon(true);
        return t;
    });

    /** One notification to one target, settled once: delivered, failed, or cut short by {@link #close}. */
    private static final class Delivery {
        final RolloutState state;
        final NotifyTarget target;
        final Notification notification;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile int attempts;
        volatile String lastError;

        Delivery(RolloutState state, NotifyTarget target, Notification notification) {
            this.state = state;
            this.target = target;
            this.notification = notification;
        }
    }

    /** @param drainWait how long {@link #close} waits for deliveries still queued or retrying */
    public Notifier(Map<String, String> env, HttpClient http, FailureSink sink, Duration drainWait) {
        this.env = env;
        this.http = http;
        this.sink = sink;
        this.drainWait = drainWait;
    }

    /** Queues the notifications the plan's targets want for {@code events}, just committed with {@code state}. */
    public void publish(RolloutState state, List<RolloutEvent> events) {
        Map<String, NotifyTarget> targets = state.plan().notifications();
        if (targets.isEmpty()) return;
        for (RolloutEvent e : events) {
            Notification.of(e, state).ifPresent(n -> {
                for (NotifyTarget t : targets.values()) {
                    if (!t.wants(n.event())) continue;
                    Delivery d = new Delivery(state, t, n);
                    unsettled.add(d);
                    try {
                        worker.execute(() -> deliver(d));
                    } catch (java.util.concurrent.RejectedExecutionException closed) {
                        settle(d, "not delivered: the command had already ended");
                    }
                }
            });
        }
    }

    /** Settles {@code d} once; a failure (non-null {@code failure}) goes to the sink. */
    private void settle(Delivery d, String failure) {
        if (!d.settled.compareAndSet(false, true)) return;
        unsettled.remove(d);
        if (failure != null) sink.failed(d.state, d.target, d.notification, d.attempts, failure);
    }

    private void deliver(Delivery d) {
        NotifyTarget t = d.target;
        String url = t.urlEnv() != null ? env.get(t.urlEnv()) : t.url();
        if (url == null || url.isBlank()) {
            settle(d, "the environment variable " + t.urlEnv() + " is not set");
            return;
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url.trim())).timeout(t.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Payloads.body(t.kind(), d.notification), StandardCharsets.UTF_8)).build();
        } catch (IllegalArgumentException e) {
            settle(d, "the URL" + (t.urlEnv() == null ? "" : " in " + t.urlEnv()) + " is not a valid http(s) URL");
            return;
        }
        String detail = null;
        Duration wait = t.backoff();
        while (d.attempts <= t.retries() && !d.settled.get()) {
            d.attempts++;
            try {
                int status = BoundedHttp.send(http, request, t.timeout(), BoundedHttp.MAX_ACKNOWLEDGEMENT).status();
                if (status / 100 == 2) {
                    settle(d, null);
                    return;
                }
                detail = "HTTP " + status;
                if (status / 100 == 4 && status != 429 && status != 408) break; // will not change
            } catch (HttpTimeoutException e) {
                detail = "no answer within " + t.timeout().toMillis() + "ms";
            } catch (IOException e) {
                detail = "could not connect (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // close() reports what is unsettled
            }
            d.lastError = detail;
            if (d.attempts <= t.retries()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                wait = wait.multipliedBy(2);
            }
        }
        settle(d, detail);
    }

    /**
     * Waits up to the drain time for queued deliveries, then reports each one still unsettled as not delivered and
     * stops the worker.
     */
    @Override
    public void close() {
        worker.shutdown();
        boolean interrupted = false;
        try {
            worker.awaitTermination(drainWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        for (Delivery d : List.copyOf(unsettled)) {
            String lastError = d.lastError;
            settle(d, "not delivered before the command ended: " + (d.attempts == 0 ? "never attempted"
                    : "attempt " + d.attempts + " of " + (d.target.retries() + 1) + (lastError == null
                    ? " was still waiting for an answer" : " was pending after " + lastError)));
        }
        worker.shutdownNow();
        if (interrupted) Thread.currentThread().interrupt();
    }
}
