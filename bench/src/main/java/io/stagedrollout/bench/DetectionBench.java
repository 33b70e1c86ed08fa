package io.stagedrollout.bench;

import io.stagedrollout.core.simulate.Calibration;
import io.stagedrollout.core.simulate.DetectionRule;
import io.stagedrollout.core.simulate.DetectionStudy;
import io.stagedrollout.core.simulate.MannWhitneyJudgeRule;
import io.stagedrollout.core.simulate.RepeatedTestRule;
import io.stagedrollout.core.simulate.RuleOutcome;
import io.stagedrollout.core.simulate.Scenario;
import io.stagedrollout.core.simulate.SequentialRule;
import io.stagedrollout.core.simulate.ThresholdRule;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The detection benchmark: the same simulated canary traffic fed through an Argo-style threshold gate, a
 * Kayenta-style Mann-Whitney judge, the sequential gate and the naive repeated test, over a grid of exposures,
 * traffic rates and regressions. Prints a Markdown table (BENCHMARKS.md "Detection").
 */
@Command(name = "detection-bench", mixinStandardHelpOptions = true,
        description = "Monte Carlo comparison of canary decision rules on simulated traffic.")
public final class DetectionBench implements Callable<Integer> {
    @Option(names = "--runs", description = "simulated bakes per scenario and regression (default ${DEFAULT-VALUE})")
    int runs = 1000;
    @Option(names = "--calibration-runs", description = "A/A bakes used to tune the threshold and judge rules (default ${DEFAULT-VALUE})")
    int calibrationRuns = 1000;
    @Option(names = "--big", description = "the bigger run: 10000 bakes per cell and 10000 calibration bakes (2.5 CPU minutes)")
    boolean big;
    @Option(names = "--seed", description = "random seed (default ${DEFAULT-VALUE})")
    long seed = 20260326L;
    @Option(names = "--alpha", description = "target false-rollback rate (default ${DEFAULT-VALUE})")
    double alpha = 0.05;
    @Option(names = "--min-effect", description = "the sequential gate's minEffect (default ${DEFAULT-VALUE})")
    double minEffect = 1.5;
    @Option(names = "--baseline-error-rate", description = "baseline error rate (default ${DEFAULT-VALUE})")
    double baselineErrorRate = 0.01;
    @Option(names = "--bake-minutes", description = "bake length (default ${DEFAULT-VALUE})")
    int bakeMinutes = 60;
    @Option(names = "--interval-seconds", description = "measurement interval of every rule (default ${DEFAULT-VALUE})")
    int intervalSeconds = 60;
    @Option(names = "--judge-every", description = "the Mann-Whitney judge runs every this many intervals (default ${DEFAULT-VALUE})")
    int judgeEvery = 10;
    @Option(names = "--failure-limit", description = "the threshold rule's failureLimit (default ${DEFAULT-VALUE})")
    int failureLimit = 1;
    @Option(names = "--exposures", split = ",", description = "exposures in percent (default ${DEFAULT-VALUE})")
    List<Double> exposures = List.of(1.0, 5.0, 25.0);
    @Option(names = "--rates", split = ",", description = "requests per second (default ${DEFAULT-VALUE})")
    List<Double> rates = List.of(1.0, 10.0, 100.0);
    @Option(names = "--regressions", split = ",", description = "canary/baseline error-rate ratios besides A/A (default ${DEFAULT-VALUE})")
    List<Double> regressions = List.of(1.5, 2.0, 5.0);
    @Option(names = "--out", description = "also write the Markdown to this file")
    Path out;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DetectionBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (big) {
            runs = Math.max(runs, 10_000);
            calibrationRuns = Math.max(calibrationRuns, 10_000);
        }
        long started = System.nanoTime();
        int steps = bakeMinutes * 60 / intervalSeconds;
        List<String> rows = new ArrayList<>();
        List<String> earlyRows = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        int cell = 0;
        for (double exposure : exposures) {
            for (double rate : rates) {
                cell++;
                Scenario aa = new Scenario(rate, exposure / 100, baselineErrorRate, 1.0, intervalSeconds, steps);
                long cellSeed = seed * 1_000_003L + cell;
                ThresholdRule threshold = Calibration.threshold(aa, failureLimit, alpha, calibrationRuns, cellSeed ^ 0x5DEECE66DL);
                MannWhitneyJudgeRule judge = Calibration.judge(aa, judgeEvery, alpha, calibrationRuns, cellSeed ^ 0xB5297A4DL);
                List<DetectionRule> compared = List.of(threshold, judge, new SequentialRule(alpha, minEffect), new RepeatedTestRule(alpha));
                // the same traffic again for the sequential gate with earlyPass (its own table)
                List<DetectionRule> all4 = new ArrayList<>(compared);
                all4.add(new SequentialRule(alpha, minEffect, true));
                List<List<RuleOutcome>> byRegression = new ArrayList<>();
                List<Double> all = new ArrayList<>();
                all.add(1.0);
                all.addAll(regressions);
                for (int i = 0; i < all.size(); i++) {
                    byRegression.add(DetectionStudy.run(aa.withRegression(all.get(i)), all4, runs, cellSeed * 31 + i));
                }
                for (int k = 0; k < compared.size(); k++) {
                    StringBuilder row = new StringBuilder("| ").append(num(exposure)).append("% | ").append(num(rate))
                            .append(" | ").append(compared.get(k).name()).append(" | ").append(tuning(compared.get(k)))
                            .append(" | ").append(pct(byRegression.get(0).get(k).rollbackRate())).append(" |");
                    for (int i = 1; i < all.size(); i++) {
                        RuleOutcome o = byRegression.get(i).get(k);
                        row.append(' ').append(pct(o.rollbackRate())).append(" | ").append(minutes(o.medianMinutesToDetect()))
                                .append(" | ").append(Math.round(o.meanCanaryRequests())).append(" |");
                    }
                    rows.add(row.toString());
                }
                earlyRows.add(earlyRow(exposure, rate, byRegression, 2, 4));
                if (cell == 1) all4.forEach(r -> rules.add("- **" + r.name() + "**: " + r.settings()));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        String md = render(rows, earlyRows, rules, steps);
        // the timing goes to stderr so that stdout is the same for the same seed on every machine
        System.err.printf(Locale.ROOT, "ran in %.0f s%n", seconds);
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        stdout.print(md);
        if (out != null) Files.writeString(out, md, StandardCharsets.UTF_8);
        return 0;
    }

    /**
     * One cell of the early-pass table: on A/A bakes how often and how soon the gate passed early and how long the
     * canary ring lasted (without early pass in parentheses); per regression the detection rate with early pass
     * (without in parentheses) and how often the regression passed early instead (the cost).
     */
    private String earlyRow(double exposure, double rate, List<List<RuleOutcome>> byRegression, int plain, int early) {
        RuleOutcome aaEarly = byRegression.get(0).get(early), aaPlain = byRegression.get(0).get(plain);
        StringBuilder row = new StringBuilder("| ").append(num(exposure)).append("% | ").append(num(rate)).append(" | ")
                .append(pct(aaEarly.earlyPassRate())).append(" | ").append(minutes(aaEarly.medianMinutesToEarlyPass()))
                .append(" | ").append(oneDecimal(aaEarly.meanCanaryMinutes())).append(" (").append(oneDecimal(aaPlain.meanCanaryMinutes()))
                .append(") | ").append(pct(aaEarly.rollbackRate())).append(" |");
        for (int i = 1; i < byRegression.size(); i++) {
            RuleOutcome e = byRegression.get(i).get(early), p = byRegression.get(i).get(plain);
            row.append(' ').append(pct(e.rollbackRate())).append(" (").append(pct(p.rollbackRate())).append(") | ")
                    .append(pct(e.earlyPassRate())).append(" |");
        }
        return row.toString();
    }

    private String render(List<String> rows, List<String> earlyRows, List<String> rules, int steps) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Simulated bakes: %d min in %d intervals of %ds, baseline error rate %s, "
                        + "%d bakes per cell (+%d A/A bakes to tune threshold and judge), seed %d, alpha %s.%n%n",
                bakeMinutes, steps, intervalSeconds, num(baselineErrorRate), runs, calibrationRuns, seed, num(alpha)));
        sb.append("| exposure | req/s | rule | tuned to A/A | false rollbacks (A/A) |");
        for (double r : regressions) sb.append(' ').append(num(r)).append("x detected | median min | canary requests |");
        sb.append('\n').append("|---|---|---|---|---|");
        for (int i = 0; i < regressions.size(); i++) sb.append("---|---|---|");
        sb.append('\n');
        rows.forEach(r -> sb.append(r).append('\n'));
        sb.append('\n').append("Early pass (the sequential gate with `earlyPass: true`, same traffic): on A/A bakes, how often and how soon ")
                .append("it passed early and the mean minutes the canary ring lasted (without early pass in parentheses); per regression, ")
                .append("the share detected (without early pass in parentheses) and the share that passed early instead.\n\n");
        sb.append("| exposure | req/s | A/A passed early | median min | canary minutes | false rollbacks (A/A) |");
        for (double r : regressions) sb.append(' ').append(num(r)).append("x detected | ").append(num(r)).append("x passed early |");
        sb.append('\n').append("|---|---|---|---|---|---|");
        for (int i = 0; i < regressions.size(); i++) sb.append("---|---|");
        sb.append('\n');
        earlyRows.forEach(r -> sb.append(r).append('\n'));
        sb.append('\n').append("Rules as run in the first cell:\n");
        rules.forEach(r -> sb.append(r).append('\n'));
        return sb.toString();
    }

    private String tuning(DetectionRule r) {
        if (r instanceof ThresholdRule t) return "max " + num(t.max());
        if (r instanceof MannWhitneyJudgeRule j) return "p < " + num(j.significance());
        return "none";
    }

    static String oneDecimal(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", v * 100);
    }

    static String minutes(double v) {
        return Double.isNaN(v) ? "–" : num(v);
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return String.valueOf((long) v);
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
