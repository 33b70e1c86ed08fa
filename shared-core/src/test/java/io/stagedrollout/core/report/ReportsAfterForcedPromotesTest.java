package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.Status;
import org.junit.jupiter.api.Test;

/** A completed rollout whose rings a person promoted before their bakes ended: no report may call it still measuring. */
class ReportsAfterForcedPromotesTest {
    final Rollouts forced = Rollouts.forcedPromotes();

    @Test
    void theTimelineKnowsEachRingWasPromotedEarlyAndWhen() {
        assertThat(forced.state.status()).isEqualTo(Status.COMPLETED);
        RolloutTimeline t = RolloutTimeline.of(forced.state, forced.journal);
        assertThat(t.rings()).allSatisfy(r -> {
            assertThat(r.state()).isEqualTo("done");
            assertThat(r.promotedEarly()).isTrue();
            assertThat(r.promotedBy()).isEqualTo("alice");
            assertThat(r.concludedAt()).isNotNull();
        });
        assertThat(t.rings().get(0).concludedAt()).isEqualTo(Rollouts.T0.plusSeconds(40));
    }

    @Test
    void markdownSaysPromotedEarlyAndNeverMeasuring() {
        String md = MarkdownReport.render(forced.state, forced.journal);
        assertThat(md).doesNotContain("measuring")
                .contains("| 1 | canary | 5% | 2m | done | ⏭ promoted early by alice | error-rate: not decided: promoted before the bake ended,")
                .contains("Ring canary promoted by alice before its bake ended.");
    }

    @Test
    void junitSaysWhyTheGatesWereNotDecidedAndHowLongTheRingRan() {
        String xml = JunitReport.render(forced.state, forced.journal);
        assertThat(xml).doesNotContain("not decided yet")
                .contains("<skipped message=\"not decided: ring canary was promoted by alice before its bake ended; 1 measurement: 1 PASS\"/>")
                .contains("<property name=\"override\" value=\"promoted by alice before its bake ended\"/>");
        // canary deployed at +10 s and was promoted at +40 s
        assertThat(xml).contains("<testsuite name=\"checkout/production ring 1 canary\" tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"3\" time=\"39.000\"")
                .contains("<testcase classname=\"checkout.production.canary\" name=\"error-rate\" time=\"30.000\">");
    }

    @Test
    void htmlShowsAVerdictForEveryRing() {
        String html = HtmlReport.render(forced.state, forced.journal);
        assertThat(html).contains("<span class=\"verdict verdict-promoted\">promoted early</span>")
                .contains("not decided: promoted before the bake ended");
        String rings = html.substring(html.indexOf("<table class=\"rings\">"), html.indexOf("</table>", html.indexOf("<table class=\"rings\">")));
        assertThat(rings).doesNotContain("<td><span class=\"verdict verdict-none\">–</span></td>");
    }

    @Test
    void aRingStoppedByARollbackIsNotCalledDone() {
        Rollouts stopped = Rollouts.rolledBackWhileBaking();
        RolloutTimeline t = RolloutTimeline.of(stopped.state, stopped.journal);
        assertThat(t.rings().get(0).state()).isEqualTo("stopped");
        assertThat(MarkdownReport.render(stopped.state, stopped.journal)).doesNotContain("measuring")
                .contains("error-rate: not decided: the rollout stopped first");
        assertThat(JunitReport.render(stopped.state, stopped.journal)).contains("not decided: the rollout stopped before the ring was judged");
    }
}
