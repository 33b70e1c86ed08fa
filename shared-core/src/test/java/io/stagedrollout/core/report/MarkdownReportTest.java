package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownReportTest {
    @Test
    void badRolloutMatchesTheGoldenFile() throws Exception {
        Rollouts r = Rollouts.badVersion();
        Golden.check("bad-rollout.md", MarkdownReport.render(r.state, r.journal));
    }

    @Test
    void goodRolloutMatchesTheGoldenFile() throws Exception {
        Rollouts r = Rollouts.goodVersion();
        Golden.check("good-rollout.md", MarkdownReport.render(r.state, r.journal));
    }

    @Test
    void tableHasARowPerRingWithItsVerdict() {
        Rollouts r = Rollouts.badVersion();
        String md = MarkdownReport.render(r.state, r.journal);
        assertThat(md).contains("| 1 | canary | 5% (actual 5%) | 2m | failed | ❌ FAIL |",
                "| 2 | early-adopters | 25% | 2m | pending | – |", "| 3 | everyone | 100% | 1m | pending | – |");
        assertThat(md).contains("— ROLLED_BACK");
    }

    @Test
    void journalSaysWhoPromotedTheManualRing() {
        Rollouts r = Rollouts.goodVersion();
        assertThat(MarkdownReport.render(r.state, r.journal))
                .contains("| 2026-11-26T04:06:40Z | PROMOTED | alice via cli | early-adopters | promoted by alice; next ring everyone |")
                .doesNotContain("| MEASURED |");
    }

    @Test
    void textCannotBreakTheTableOrInjectMarkup() {
        // a newline is shown as \n (escaped once more for Markdown), so text stays on its line and nothing is hidden
        assertThat(MarkdownReport.md("a|b <img src=x> *x* [l](u)\nnext")).isEqualTo("a\\|b &lt;img src=x&gt; \\*x\\* \\[l\\](u)\\\\nnext");
        Rollouts r = Rollouts.badVersion();
        assertThat(MarkdownReport.render(r.state, r.journal)).doesNotContain("<script>");
    }

    @Test
    void unknownFormatIsRefusedNamingTheKnownOnes() {
        Rollouts r = Rollouts.badVersion();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportFormats.render("pdf", r.state, r.journal))
                .hasMessageContaining("unknown report format 'pdf'; use one of junit, markdown, html");
        assertThat(ReportFormats.render("md", r.state, r.journal)).isEqualTo(MarkdownReport.render(r.state, r.journal));
    }
}
