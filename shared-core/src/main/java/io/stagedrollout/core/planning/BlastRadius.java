package io.stagedrollout.core.planning;

import java.time.Duration;

/**
 * How much of production a bad version reaches before a gate catches it: this plan against a big-bang release of
 * the same version judged by the same gates on the same measurement schedule (see {@link PlanCheck}).
 *
 * @param planRequests      expected requests served by the bad version under this plan, deploys and reverts included
 * @param planUsers         expected users who see it (null without {@code planning.users})
 * @param escapeProbability the chance that every ring's gates miss it and it reaches 100% unnoticed
 * @param bigBangRequests   expected requests served by it in a big-bang release, deploy and revert included
 * @param bigBangUsers      every user (null without {@code planning.users})
 * @param bigBangDetection  when the big-bang release's gates catch it, on average over the times they do: from the
 *                          end of the deploy to the end of the revert (null when they never can)
 * @param badRequestsPlan   expected extra failed requests under this plan (requests times the error-rate increase)
 * @param badRequestsBigBang the same for the big-bang release
 * @param bigBangEscapeProbability the chance the big-bang release's gates miss it for as long as the plan would take
 */
public record BlastRadius(double planRequests, Double planUsers, double escapeProbability, double bigBangRequests,
        Double bigBangUsers, Duration bigBangDetection, double badRequestsPlan, double badRequestsBigBang,
        double bigBangEscapeProbability) {}
