package io.stagedrollout.core.notify;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers notifications for committed events on a background thread, in order, with retries and exponential
 * backoff, so that a slow or dead endpoint never holds up the rollout. A delivery that still fails is handed to
 * the {@link FailureSink} (the engine journals it). The URL is never put in a message: failures name the target
 * and the HTTP status or the kind of network error only.
 */
public final class Notifier implements AutoCloseable {
    /** Told about deliveries that failed after every retry. */
    @FunctionalInterface
    public interface FailureSink {
        void failed(RolloutState state, NotifyTarget target, Notification notification, int attempts, String detail);
    }

    private final Map<String, String> env;
    private final HttpClient http;
    private final FailureSink sink;
    private final Duration drainWait;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rollout-notify");
        t.setDaemon(true);
        return t;
    });

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
                    if (t.wants(n.event())) worker.execute(() -> deliver(state, t, n));
                }
            });
        }
    }

    private void deliver(RolloutState state, NotifyTarget t, Notification n) {
        String url = t.urlEnv() != null ? env.get(t.urlEnv()) : t.url();
        if (url == null || url.isBlank()) {
            sink.failed(state, t, n, 0, "the environment variable " + t.urlEnv() + " is not set");
            return;
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url.trim())).timeout(t.timeout())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Payloads.body(t.kind(), n), StandardCharsets.UTF_8)).build();
        } catch (IllegalArgumentException e) {
            sink.failed(state, t, n, 0, "the URL" + (t.urlEnv() == null ? "" : " in " + t.urlEnv()) + " is not a valid http(s) URL");
            return;
        }
        String detail = null;
        int attempt = 0;
        Duration wait = t.backoff();
        while (attempt <= t.retries()) {
            attempt++;
            try {
                HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) return;
                detail = "HTTP " + r.statusCode();
                if (r.statusCode() / 100 == 4 && r.statusCode() != 429 && r.statusCode() != 408) break; // will not change
            } catch (HttpTimeoutException e) {
                detail = "no answer within " + t.timeout().toMillis() + "ms";
            } catch (IOException e) {
                detail = "could not connect (" + e.getClass().getSimpleName() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                detail = "interrupted";
                break;
            }
            if (attempt <= t.retries()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                wait = wait.multipliedBy(2);
            }
        }
        sink.failed(state, t, n, attempt, detail);
    }

    /** Waits up to the drain time for queued deliveries, then gives up on the rest. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(drainWait.toMillis(), TimeUnit.MILLISECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
