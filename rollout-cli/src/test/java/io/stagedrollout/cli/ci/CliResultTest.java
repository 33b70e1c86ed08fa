package io.stagedrollout.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CliResultTest {
    private static String waiting(String hold, String verdict) {
        return """
                {"command":"advance","result":"waiting","exitCode":4,"message":"ring canary waits for a person",
                 "rollout":{"key":"checkout/production","id":"r-1","status":"AWAITING_APPROVAL","ring":"canary",
                   "hold":"%s","verdict":{"ring":"canary","verdict":"%s","reason":"r","gates":[]}}}
                """.formatted(hold, verdict);
    }

    @Test
    void aPassedRingWaitingForItsApprovalIsRecognised() {
        assertThat(CliResult.parse(waiting("approval", "PASS")).ringPassedAndAwaitsApproval()).isTrue();
    }

    @Test
    void anInconclusiveHoldIsNotAPassedRing() {
        assertThat(CliResult.parse(waiting("inconclusive", "INCONCLUSIVE")).ringPassedAndAwaitsApproval()).isFalse();
    }

    @Test
    void readsTheContractFieldsAndToleratesUnknownOnes() {
        CliResult r = CliResult.parse(Fixtures.CANARY_FAILED.replace("\"problems\":[]", "\"problems\":[],\"future\":1"));

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.rollout().ringIndex()).isZero();
        assertThat(r.rollout().ringCount()).isEqualTo(3);
        assertThat(r.rollout().verdict().gates()).hasSize(4);
        assertThat(r.rollout().verdict().gates().get(0).lastValue()).isEqualTo(0.2);
    }

    @Test
    void textThatIsNotTheJsonObjectIsRefused() {
        assertThatThrownBy(() -> CliResult.parse("Exception in thread main")).hasMessageContaining("JSON");
        assertThatThrownBy(() -> CliResult.parse("[1,2]")).hasMessageContaining("JSON object");
    }
}
