package io.stagedrollout.core.judge.sequential;

import io.stagedrollout.core.gate.GateEnvironment;
import java.net.http.HttpRequest;

/** Adds a bearer token read from the environment at request time; the token itself never reaches a message. */
final class Bearer {
    private Bearer() {}

    static void add(HttpRequest.Builder b, String tokenEnv, GateEnvironment env) throws CounterSource.CounterException {
        if (tokenEnv == null) return;
        String token = env.env().get(tokenEnv);
        if (token == null || token.isEmpty()) {
            throw new CounterSource.CounterException("the environment variable " + tokenEnv + " holding the token is not set");
        }
        b.header("Authorization", "Bearer " + token);
    }
}
