package io.stagedrollout.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.testing.HostileHttpServer;
import io.stagedrollout.core.testing.LocalHttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BoundedHttpTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static HttpRequest get(String url) {
        // the request timeout is generous on purpose: the deadline must hold on its own
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
    }

    @Test
    void aBodyThatTricklesAfterPromptHeadersEndsAtTheDeadline() throws Exception {
        try (HostileHttpServer server = new HostileHttpServer(HostileHttpServer.Mode.TRICKLE)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> BoundedHttp.send(http, get(server.url("/health")), Duration.ofMillis(1500), 1 << 20))
                    .isInstanceOf(BoundedHttp.DeadlineExceeded.class).hasMessage("no complete answer within 1.5s");
            // the server would trickle for 14 hours; anything near the deadline proves the deadline held
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
        }
    }

    @Test
    void aServerThatNeverAnswersEndsAtTheDeadline() throws Exception {
        try (HostileHttpServer server = new HostileHttpServer(HostileHttpServer.Mode.SILENT)) {
            assertThatThrownBy(() -> BoundedHttp.send(http, get(server.url("/")), Duration.ofMillis(500), 1 << 20))
                    .isInstanceOf(BoundedHttp.DeadlineExceeded.class);
        }
    }

    @Test
    void aBodyLongerThanTheLimitIsCutAndMarkedTruncated() throws Exception {
        long huge = 2L << 30; // 2 GiB: reading it whole would exhaust the heap of a small CI runner
        try (HostileHttpServer server = new HostileHttpServer(HostileHttpServer.Mode.HUGE, huge)) {
            BoundedHttp.Response r = BoundedHttp.send(http, get(server.url("/metrics")), Duration.ofSeconds(60), 1 << 20);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.truncated()).isTrue();
            assertThat(r.body()).hasSize(1 << 20);
            assertThat((long) server.bodyBytesWritten.get()).isLessThan(huge);
        }
    }

    @Test
    void anOrdinaryAnswerIsReadWhole() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer().on("/h", () -> LocalHttpServer.Answer.ok("{\"status\":\"UP\"}"))) {
            BoundedHttp.Response r = BoundedHttp.send(http, get(server.url("/h")), Duration.ofSeconds(30), 1 << 20);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.truncated()).isFalse();
            assertThat(r.text()).isEqualTo("{\"status\":\"UP\"}");
        }
    }
}
