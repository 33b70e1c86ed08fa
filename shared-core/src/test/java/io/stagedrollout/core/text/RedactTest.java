package io.stagedrollout.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void credentialsBeforeTheAtSignAreASecret() {
        assertThat(Redact.secretIn("http://admin:pw@127.0.0.1/health")).hasValueSatisfying(m -> assertThat(m).contains("before '@'"));
        assertThat(Redact.secretIn("jdbc:postgresql://alice:s3cret@db:5432/rollouts")).isPresent();
        assertThat(Redact.secretIn("https://host/path/user@example.com")).isEmpty();
    }

    @Test
    void secretLookingQueryAndJdbcParametersAreASecretNamedWithoutTheirValue() {
        assertThat(Redact.secretIn("http://h/x?access_token=abc")).hasValue("the query parameter 'access_token'");
        assertThat(Redact.secretIn("jdbc:postgresql://db/x;password=hunter2")).hasValue("the parameter 'password'");
        assertThat(Redact.secretIn("jdbc:postgresql://db/x?user=a&password=hunter2")).hasValue("the query parameter 'password'");
        for (String name : new String[] {"token", "api_key", "apiKey", "X-Amz-Signature", "sig", "client_secret", "key", "private_token"}) {
            assertThat(Redact.secretIn("https://h/p?" + name + "=v")).as(name).isPresent();
        }
        for (String name : new String[] {"version", "ring", "query", "step", "author", "monkey", "sort"}) {
            assertThat(Redact.secretIn("https://h/p?" + name + "=v")).as(name).isEmpty();
        }
    }

    @Test
    void webhookAddressesWhosePathIsTheSecretAreASecret() {
        assertThat(Redact.secretIn("https://hooks.slack.com/services/T0/B0/XXXX")).isPresent();
        assertThat(Redact.secretIn("https://discord.com/api/webhooks/1/abc")).isPresent();
        assertThat(Redact.url("https://hooks.slack.com/services/T0/B0/XXXX")).isEqualTo("https://hooks.slack.com/***");
    }

    @Test
    void urlsWithoutSecretsAreLeftAlone() {
        for (String u : new String[] {"http://127.0.0.1:8080/healthz", "https://prom:9090/api/v1/query?query=up&time=1",
                "http://h/x?version={{version}}", "/var/lib/rollout", "jdbc:postgresql://db:5432/rollouts?sslmode=require"}) {
            assertThat(Redact.secretIn(u)).as(u).isEmpty();
            assertThat(Redact.url(u)).isEqualTo(u);
        }
    }

    @Test
    void theRedactorMasksWhatTheRuleRefuses() {
        assertThat(Redact.url("jdbc:postgresql://alice:s3cret@db:5432/rollouts?password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://***@db:5432/rollouts?password=***&ssl=true");
        assertThat(Redact.url("jdbc:mysql://db/x;password=s3cret")).isEqualTo("jdbc:mysql://db/x;password=***");
        assertThat(Redact.url("http://admin:pw@h/health?access_token=abc&v=1")).isEqualTo("http://***@h/health?access_token=***&v=1");
    }

    @Test
    void secretsInsideFreeTextAreMasked() {
        String msg = "cannot prepare the tables in PostgreSQL store at db/x;password=hunter2: refused; GET "
                + "http://u:p@h/x?token=t0k3n answered 500: {\"echo\":\"Bearer whk-7f3a9c1e5b2d\"}";
        String r = Redact.text(msg);
        assertThat(r).doesNotContain("hunter2", "u:p@", "t0k3n", "whk-7f3a9c1e5b2d")
                .contains("db/x;password=***", "http://***@h/x?token=***", "Bearer ***");
        assertThat(Redact.text("uses Basic authentication")).isEqualTo("uses Basic authentication");
    }
}
