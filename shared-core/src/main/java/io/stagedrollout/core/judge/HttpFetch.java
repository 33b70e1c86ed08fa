package io.stagedrollout.core.judge;

import io.stagedrollout.core.gate.GateEnvironment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** A GET with a timeout and an optional bearer token read from the environment by name (never logged). */
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
        HttpResponse<String> resp;
        try {
            resp = env.http().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new SourceException("no answer from " + withoutQuery(url) + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new SourceException("cannot read " + withoutQuery(url) + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        if (resp.statusCode() / 100 != 2) {
            String body = resp.body() == null ? "" : resp.body().strip();
            if (body.length() > 200) body = body.substring(0, 200) + "…";
            throw new SourceException(withoutQuery(url) + " answered HTTP " + resp.statusCode() + (body.isEmpty() ? "" : ": " + body));
        }
        return resp.body();
    }

    /**
     * The URL for messages: without its query string (long, and in the plan anyway) and without any user:password
     * part, so credentials written into a URL never reach a summary, the journal or a report.
     */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        String u = q < 0 ? url : url.substring(0, q);
        return u.replaceFirst("^(https?://)[^/@]*@", "$1");
    }
}
