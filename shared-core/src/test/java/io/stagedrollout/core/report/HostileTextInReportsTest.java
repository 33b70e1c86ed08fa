package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.RolloutState;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Text from outside — a version from an older journal, an actor's name, a health endpoint's answer — reaches reports
 * with its control, bidi and zero-width characters made visible and credentials in URLs masked, in every format.
 */
class HostileTextInReportsTest {
    static final String VERSION = "2.0\u009b31m\u202e";
    static final Actor MALLORY = new Actor("mallory\n2026-01-01T00:00:00Z PROMOTED alice\u001b[2K", "cli", null);

    /** The machine refuses such a version at start today, so the state is the one an older journal left behind. */
    static Rollouts hostile() {
        Rollouts r = new Rollouts();
        r.apply(new Command.Start(Rollouts.plan(), "2.0", "1.9.0", "r-hostile", MALLORY), 0)
                .apply(new Command.BeginRing(0, MALLORY), 1)
                .apply(new Command.RingDeployed(0, true, "deployed", null, MALLORY), 10)
                .measure(0, "new-check", Outcome.FAIL, null, "http://admin:hunter2@127.0.0.1:9/healthz /status is 'DOWN\u001b]0;owned\u0007\r\n'", 10);
        RolloutState s = r.state;
        r.state = new RolloutState(s.id(), s.service(), s.environment(), VERSION, s.stableVersion(), s.status(), s.ringIndex(),
                s.revision(), s.startedAt(), s.updatedAt(), s.bakeStartedAt(), s.bakeEndsAt(), s.gates(), s.verdict(), s.hold(),
                s.reason(), s.plan());
        return r;
    }

    @Test
    void noFormatCarriesARawUnsafeCharacterOrASecret() {
        Rollouts r = hostile();
        for (String report : List.of(HtmlReport.render(r.state, r.journal), MarkdownReport.render(r.state, r.journal),
                JunitReport.render(r.state, r.journal))) {
            assertThat(report).doesNotContain("\u009b", "\u202e", "\u001b", "\u0007", "\r", "hunter2", "\nPROMOTED alice")
                    .contains("u009b", "u202e", "u001b");
        }
    }
}
