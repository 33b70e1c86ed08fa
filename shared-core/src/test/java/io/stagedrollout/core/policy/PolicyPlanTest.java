package io.stagedrollout.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.notify.NotifyTarget;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.StateJson;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** windows, freezes and notify in a plan: read, validated with paths, and kept through the stored state's JSON. */
class PolicyPlanTest {
    static final String HEAD = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%}
              - {name: everyone, exposure: 100%}
            """;

    static List<String> problems(String extra) {
        try {
            PlanReader.parse(HEAD + extra);
        } catch (InvalidPlanException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
        throw new AssertionError("the plan was accepted");
    }

    @Test
    void windowsFreezesAndTargetsAreRead() throws Exception {
        RolloutPlan p = PlanReader.parse(HEAD + """
                windows:
                  - {name: office, days: "Mon-Thu, Sat", from: "09:00", to: "16:00", zone: Europe/Berlin}
                freezes:
                  - {from: "2026-12-21T00:00:00+01:00", to: "2027-01-04T00:00:00+01:00", reason: year-end}
                notify:
                  chat: {kind: slack, urlEnv: SLACK_WEBHOOK_URL, on: [awaiting-approval, rolled-back]}
                """);
        Window w = p.windows().get(0);
        assertThat(w.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.SATURDAY);
        assertThat(w.from()).isEqualTo(LocalTime.of(9, 0));
        assertThat(w.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(p.freezes().get(0).reason()).isEqualTo("year-end");
        NotifyTarget t = p.notifications().get("chat");
        assertThat(t.urlEnv()).isEqualTo("SLACK_WEBHOOK_URL");
        assertThat(t.on()).containsExactlyInAnyOrder("awaiting-approval", "rolled-back");
        // the plan is kept in the rollout's state: it must come back the same from the store's JSON
        RolloutPlan back = StateJson.MAPPER.readValue(StateJson.write(p), RolloutPlan.class);
        assertThat(back).isEqualTo(p);
    }

    @Test
    void aWindowNeedsDaysTimesAndAZone() {
        assertThat(problems("windows: [{days: Mon-Funday, from: \"9\", to: \"25:00\", zone: Mars/Olympus}]"))
                .anySatisfy(p -> assertThat(p).contains("windows[0].days").contains("Funday"))
                .anySatisfy(p -> assertThat(p).contains("windows[0].from").contains("HH:MM"))
                .anySatisfy(p -> assertThat(p).contains("windows[0].to"))
                .anySatisfy(p -> assertThat(p).contains("windows[0].zone").contains("Mars/Olympus"));
    }

    @Test
    void aRingWindowIsCheckedAtItsPath() {
        String plan = HEAD.replace("{name: everyone, exposure: 100%}",
                "{name: everyone, exposure: 100%, windows: [{days: Sat, from: \"22:00\", to: \"22:00\", zone: UTC, extra: 1}]}");
        assertThatThrownBy(() -> PlanReader.parse(plan)).isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> assertThat(((InvalidPlanException) e).problems()).extracting(Problem::path)
                        .contains("rings[1].windows[0].to", "rings[1].windows[0].extra"));
    }

    @Test
    void aFreezeNeedsAReasonAndAnEndAfterItsStart() {
        assertThat(problems("freezes: [{from: \"2026-12-21 00:00\", to: \"2026-12-20T00:00:00Z\"}]"))
                .anySatisfy(p -> assertThat(p).contains("freezes[0].reason").contains("required"))
                .anySatisfy(p -> assertThat(p).contains("freezes[0].from").contains("no offset"));
        assertThat(problems("freezes: [{from: \"2026-12-21T00:00:00Z\", to: \"2026-12-20T00:00:00Z\", reason: x}]"))
                .anySatisfy(p -> assertThat(p).contains("freezes[0].to").contains("after from"));
    }

    @Test
    void aNotifyTargetWithATokenInItsUrlIsRefused() {
        assertThat(problems("notify: {chat: {kind: slack, url: \"https://hooks.slack.com/services/T000/B000/XXXX\"}}"))
                .anySatisfy(p -> assertThat(p).contains("notify.chat.url").contains("urlEnv"));
    }

    @Test
    void aNotifyTargetNamesKnownEventsAndOneUrl() {
        assertThat(problems("notify: {hook: {kind: pager, on: [ring-passed, exploded]}}"))
                .anySatisfy(p -> assertThat(p).contains("notify.hook.kind"))
                .anySatisfy(p -> assertThat(p).contains("notify.hook.urlEnv").contains("exactly one"))
                .anySatisfy(p -> assertThat(p).contains("notify.hook.on[1]").contains("exploded"));
    }
}
