package io.stagedrollout.core.judge;

import io.stagedrollout.core.gate.GateEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import io.stagedrollout.core.http.BoundedHttp;
import io.stagedrollout.core.text.Printable;
import io.stagedrollout.core.text.Redact;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A GET with a deadline for the whole exchange, a bounded body and an optional bearer token read from the environment
 * by name (never logged).
 */
final class HttpFetch {
    private HttpFetch() {}

    static String get(GateEnvironment env, String url, Duration timeout, String tokenEnv, String accept)
            throws SourceException, InterruptedException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().header("Accept", accept);
        } catch (IllegalArgumentException e) {
            throw new SourceException("not a valid URL: " + withoutQuery(url));
        }
        if (tokenEnv != null) {
            String token = env.env().get(tokenEnv);
            if (token == null || token.isEmpty()) {
                throw new SourceException("the environment variable " + tokenEnv + " holding the token is not set");
            }
            b.header("Authorization", "Bearer " + token);
        }
        BoundedHttp.Response resp;
        try {
            resp = BoundedHttp.send(env.http(), b.build(), timeout, BoundedHttp.MAX_EXPOSITION);
        } catch (HttpTimeoutException e) {
            throw new SourceException("no complete answer from " + withoutQuery(url) + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new SourceException("cannot read " + withoutQuery(url) + ": " + BoundedHttp.describe(e));
        }
        if (resp.status() / 100 != 2) {
            String body = resp.text().strip();
            if (body.length() > 200) body = body.substring(0, 200) + "…";
            // the server's words, on one line and without anything it echoed of our credentials
            body = Printable.escape(Redact.text(body));
            throw new SourceException(withoutQuery(url) + " answered HTTP " + resp.status() + (body.isEmpty() ? "" : ": " + body));
        }
        if (resp.truncated()) {
            throw new SourceException(withoutQuery(url) + " answered more than " + BoundedHttp.size(BoundedHttp.MAX_EXPOSITION));
        }
        return resp.text();
    }

    /**
     * The URL for messages: without its query string (long, and in the plan anyway) and without any user:password
     * part, so credentials written into a URL never reach a summary, the journal or a report.
     */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return io.stagedrollout.core.text.Redact.url(q < 0 ? url : url.substring(0, q));
    }
}
