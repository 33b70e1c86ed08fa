package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void storeLocationsInMessagesCarryNoCredentials() {
        assertThat(Base.redact("jdbc:postgresql://alice:s3cret@db:5432/rollouts?password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/rollouts?…");
        assertThat(Base.redact("jdbc:mysql://db/x;password=s3cret")).doesNotContain("s3cret");
        assertThat(Base.redact("/var/lib/rollout")).isEqualTo("/var/lib/rollout");
    }
}
