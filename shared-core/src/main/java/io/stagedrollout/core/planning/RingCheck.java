package io.stagedrollout.core.planning;

import java.time.Duration;

/**
 * The bake-time check of one ring.
 *
 * @param targetErrorRate   the regressed error rate to catch (null when the plan gives no regression and no gate max)
 * @param baselinePerCanary baseline requests per canary request during this ring (infinite at 100%: known baseline)
 * @param minBake           the bake that reaches the asked power (null when nothing can be computed)
 * @param canaryRequests    canary requests needed for that power
 * @param power             the power this ring's bake actually gives (0 for a ring without gates)
 * @param caught            whether the ring has gates that can catch a regression at all
 * @param warning           what is wrong, in words (null when the ring bakes long enough)
 */
public record RingCheck(String ring, double exposurePercent, Duration bake, Double targetErrorRate,
        double baselinePerCanary, Duration minBake, Double canaryRequests, double power, boolean caught, String warning) {

    public boolean bakesEnough() {
        return warning == null;
    }
}
