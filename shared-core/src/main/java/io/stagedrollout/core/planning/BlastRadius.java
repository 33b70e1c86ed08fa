package io.stagedrollout.core.planning;

import java.time.Duration;

/**
 * How much of production a bad version reaches before a gate catches it: this plan against a big-bang release of
 * the same version judged by the same test.
 *
 * @param planRequests      expected requests served by the bad version under this plan before it is caught
 * @param planUsers         expected users who see it (null without {@code planning.users})
 * @param escapeProbability the chance that every ring's gates miss it and it reaches 100% unnoticed
 * @param bigBangRequests   requests served by it in a big-bang release before the same test catches it
 * @param bigBangUsers      every user (null without {@code planning.users})
 * @param bigBangDetection  how long the big-bang release needs to collect those requests
 * @param badRequestsPlan   expected extra failed requests under this plan (requests times the error-rate increase)
 * @param badRequestsBigBang the same for the big-bang release
 */
public record BlastRadius(double planRequests, Double planUsers, double escapeProbability, double bigBangRequests,
        Double bigBangUsers, Duration bigBangDetection, double badRequestsPlan, double badRequestsBigBang) {}
