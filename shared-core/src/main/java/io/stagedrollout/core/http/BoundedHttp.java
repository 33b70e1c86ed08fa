package io.stagedrollout.core.http;

import io.stagedrollout.core.gate.GateRules;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every HTTP exchange of the core (gates, judge and sequential sources, webhook actions, notifications) goes through
 * here, so two rules hold everywhere:
 * <ul>
 *   <li><b>A deadline for the whole exchange.</b> The JDK client's request timeout covers only the wait for the
 *       headers; a server that sends headers and then trickles its body a byte a second would hold a gate forever.
 *       Here the deadline covers connecting, the headers and the last byte of the body.</li>
 *   <li><b>A bounded body.</b> At most {@code maxBytes} are kept; a longer body is cut off, the connection dropped,
 *       and the answer marked {@link Response#truncated()} so the caller can say so instead of running out of
 *       memory.</li>
 * </ul>
 */
public final class BoundedHttp {
    /** Bodies of probes and APIs that answer one document (health checks, Prometheus queries, judge sources). */
    public static final int MAX_DOCUMENT = 4 << 20;
    /** Metrics expositions, which grow with the number of series. */
    public static final int MAX_EXPOSITION = 16 << 20;
    /** What is kept of the answer to a webhook or a notification, where only the status matters. */
    public static final int MAX_ACKNOWLEDGEMENT = 64 << 10;

    private BoundedHttp() {}

    /** An answer: its status, its body (at most the limit) and whether the body was longer than that. */
    public record Response(int status, byte[] body, boolean truncated) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The whole exchange did not finish within the deadline. */
    public static final class DeadlineExceeded extends HttpTimeoutException {
        public DeadlineExceeded(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code request} and reads its answer, giving up when the whole exchange takes longer than {@code deadline}.
     *
     * @throws DeadlineExceeded when the answer was not complete in time (also when the headers were late)
     * @throws IOException when the server cannot be reached or the connection broke
     */
    public static Response send(HttpClient http, HttpRequest request, Duration deadline, int maxBytes)
            throws IOException, InterruptedException {
        Collector[] collector = new Collector[1];
        HttpResponse.BodyHandler<Capped> handler = info -> collector[0] = new Collector(maxBytes);
        CompletableFuture<HttpResponse<Capped>> pending = http.sendAsync(request, handler);
        try {
            HttpResponse<Capped> r = pending.get(Math.max(1, deadline.toMillis()), TimeUnit.MILLISECONDS);
            return new Response(r.statusCode(), r.body().bytes(), r.body().truncated());
        } catch (TimeoutException e) {
            abandon(pending, collector[0]);
            throw new DeadlineExceeded("no complete answer within " + describe(deadline));
        } catch (InterruptedException e) {
            abandon(pending, collector[0]);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) throw new DeadlineExceeded("no complete answer within " + describe(deadline));
            if (cause instanceof IOException io) throw io;
            if (cause instanceof IllegalArgumentException iae) throw new IOException(iae.getMessage(), iae);
            throw new IOException(cause == null ? "the exchange failed" : cause.toString(), cause);
        }
    }

    /** A short, secret-free description of a failure to reach a server ("connection refused", "ConnectException …"). */
    public static String describe(IOException e) {
        if (e instanceof ConnectException) return "connection refused or unreachable";
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
    }

    /** "2s", "250ms". */
    public static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() < 1000 ? d.toMillis() + "ms" : GateRules.number(d.toMillis() / 1000.0) + "s";
    }

    /** "4 MiB", "64 KiB". */
    public static String size(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1 << 10 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }

    private static void abandon(CompletableFuture<?> pending, Collector collector) {
        pending.cancel(true);
        if (collector != null) collector.stop(); // drop the connection: no one reads what trickles in
    }

    private record Capped(byte[] bytes, boolean truncated) {}

    /** Keeps at most {@code max} bytes; past that it cancels the subscription, which closes the connection. */
    private static final class Collector implements HttpResponse.BodySubscriber<Capped> {
        private final int max;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final CompletableFuture<Capped> result = new CompletableFuture<>();
        private volatile Flow.Subscription subscription;

        Collector(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<Capped> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            boolean over = false;
            synchronized (buffer) {
                for (ByteBuffer b : items) {
                    int room = max - buffer.size();
                    int n = Math.min(room, b.remaining());
                    byte[] chunk = new byte[n];
                    b.get(chunk);
                    buffer.write(chunk, 0, n);
                    if (b.hasRemaining()) over = true;
                }
            }
            if (over) {
                subscription.cancel();
                result.complete(new Capped(buffer.toByteArray(), true));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(new Capped(buffer.toByteArray(), false));
        }

        void stop() {
            Flow.Subscription s = subscription;
            if (s != null) s.cancel();
            result.completeExceptionally(new HttpTimeoutException("abandoned"));
        }
    }
}
