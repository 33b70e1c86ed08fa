package io.stagedrollout.core.simulate;

import io.stagedrollout.core.judge.sequential.IntervalCounts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded Monte Carlo: simulates many bakes of one scenario and feeds the very same traffic to every rule. The same
 * seed gives the same traffic, hence the same figures, on every machine.
 */
public final class DetectionStudy {
    private DetectionStudy() {}

    public static List<RuleOutcome> run(Scenario scenario, List<? extends DetectionRule> rules, int runs, long seed) {
        int k = rules.size();
        int[][] stops = new int[k][runs];
        int[][] passes = new int[k][runs];
        long[][] exposed = new long[k][runs];
        SplittableRandom root = new SplittableRandom(seed);
        for (int r = 0; r < runs; r++) {
            List<IntervalCounts> traffic = scenario.simulate(root.split());
            for (int i = 0; i < k; i++) {
                DetectionRule.Stop stop = rules.get(i).decide(traffic);
                stops[i][r] = stop.rollback() ? stop.after() : 0;
                passes[i][r] = stop.passedEarly() ? stop.after() : 0;
                exposed[i][r] = canaryRequests(traffic, stop.after() == 0 ? traffic.size() : stop.after());
            }
        }
        List<RuleOutcome> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) out.add(summarize(rules.get(i).name(), scenario, stops[i], passes[i], exposed[i]));
        return out;
    }

    private static long canaryRequests(List<IntervalCounts> traffic, int upTo) {
        long n = 0;
        for (int s = 0; s < upTo; s++) n += traffic.get(s).canaryRequests();
        return n;
    }

    private static RuleOutcome summarize(String name, Scenario sc, int[] stops, int[] passes, long[] exposed) {
        int runs = stops.length;
        double[] minutes = minutes(stops, sc);
        double[] passMinutes = minutes(passes, sc);
        double meanExposed = Arrays.stream(exposed).average().orElse(0);
        double meanMinutes = 0;
        for (int r = 0; r < runs; r++) {
            int end = stops[r] > 0 ? stops[r] : passes[r] > 0 ? passes[r] : sc.steps();
            meanMinutes += end * sc.stepSeconds() / 60.0 / runs;
        }
        return new RuleOutcome(name, runs, minutes.length, (double) minutes.length / runs, median(minutes), meanExposed,
                (double) passMinutes.length / runs, median(passMinutes), meanMinutes);
    }

    private static double[] minutes(int[] after, Scenario sc) {
        return Arrays.stream(after).filter(s -> s > 0).mapToDouble(s -> s * sc.stepSeconds() / 60.0).sorted().toArray();
    }

    private static double median(double[] sorted) {
        return sorted.length == 0 ? Double.NaN
                : sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
