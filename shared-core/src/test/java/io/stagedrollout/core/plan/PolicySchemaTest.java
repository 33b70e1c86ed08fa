package io.stagedrollout.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** The shipped JSON Schema knows windows, freezes and notify targets as the plan reader does. */
class PolicySchemaTest {
    static final String PLAN = """
            service: checkout
            environment: production
            windows:
              - {name: office-hours, days: Mon-Thu, from: "09:00", to: "16:00", zone: Europe/Berlin}
            freezes:
              - {from: "2026-12-21T00:00:00+01:00", to: "2027-01-04T00:00:00+01:00", reason: year-end freeze}
              - {from: "2026-11-27 00:00", to: "2026-11-30 00:00", zone: America/New_York, reason: Black Friday}
            notify:
              team-chat: {kind: slack, urlEnv: SLACK_WEBHOOK_URL, on: [awaiting-approval, gate-failed, rolled-back]}
              incidents: {kind: webhook, urlEnv: INCIDENT_WEBHOOK_URL, retries: 5, backoff: 2s, timeout: 3s}
            rings:
              - {name: canary, exposure: 5%, bake: 10m}
              - name: everyone
                exposure: 100%
                windows: [{name: maintenance, days: Sat, from: "22:00", to: "02:00", zone: Europe/Berlin}]
            """;

    @Test
    void aPlanWithWindowsFreezesAndNotifyIsValidByTheSchemaAndTheReader() throws Exception {
        assertThat(PlanSchemaTest.SCHEMA.validate(new YAMLMapper().readTree(PLAN))).isEmpty();
        assertThat(PlanReader.parse(PLAN).windows()).hasSize(1);
    }

    @Test
    void theSchemaRefusesWhatTheReaderRefuses() throws Exception {
        for (String bad : new String[] {
                PLAN.replace("from: \"09:00\"", "from: \"9am\""),
                PLAN.replace(", reason: year-end freeze", ""),
                PLAN.replace("urlEnv: SLACK_WEBHOOK_URL", "channel: releases"),
                PLAN.replace("retries: 5", "retries: 5, colour: red")}) {
            assertThat(PlanSchemaTest.SCHEMA.validate(new YAMLMapper().readTree(bad))).as(bad).isNotEmpty();
        }
    }
}
