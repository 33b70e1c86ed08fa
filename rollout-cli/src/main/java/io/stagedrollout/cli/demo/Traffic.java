package io.stagedrollout.cli.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Real HTTP requests against the demo service from a few threads, at roughly {@code perSecond} until closed. */
public final class Traffic implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();

    public Traffic(String url, int perSecond, int threadCount) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long pauseNanos = 1_000_000_000L * threadCount / Math.max(1, perSecond);
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(() -> {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
                long next = System.nanoTime();
                while (running.get()) {
                    try {
                        client.send(req, HttpResponse.BodyHandlers.discarding());
                        sent.incrementAndGet();
                    } catch (Exception e) {
                        if (!running.get()) return;
                    }
                    next += pauseNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "demo-traffic-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    public long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        running.set(false);
        threads.forEach(Thread::interrupt);
    }
}
