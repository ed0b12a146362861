package dev.initbench.bench.compare;

import dev.initbench.bench.compare.PercentileComparison.Verdict;
import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.report.EndpointReport;
import dev.initbench.bench.report.InvalidReportException;
import dev.initbench.bench.report.ReportJson;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.report.RunSettings;
import dev.initbench.bench.stats.HostLoad;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.bench.stats.LatencyPercentiles.Percentile;
import dev.initbench.bench.stats.Percentiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Decides whether a current run regressed against a baseline run, per endpoint and percentile, from the latency
 * histograms of all requests recorded in both report.json files.
 *
 * <p>A percentile regresses only when the change is both <em>large</em> (beyond {@code threshold × baseline}) and
 * <em>real</em> (beyond run-to-run noise): the whole bootstrap confidence interval of (current − baseline) must lie
 * above {@code threshold × baseline}. The interval comes from resampling each run's histogram independently
 * ({@link HistogramResampler}), {@code iterations} times from a fixed seed, so the same inputs always give the same
 * answer. The bootstrap fits because percentiles of latency distributions (skewed, multi-modal, with a cold-start
 * tail) have no usable closed-form variance, and the histograms hold every recorded value at 0.1 % resolution,
 * which is all the resampling needs. The maximum is shown but not decided: a resample never exceeds the sample
 * maximum, so the bootstrap cannot bound it; the same holds for any percentile that is the sample maximum under
 * the percentile definition ({@link Percentiles}), e.g. p99.9 of up to 1,000 requests.
 *
 * <p>Runs are only comparable when they ran the same scenario: a different target, different phases (names, rates,
 * durations) or a different provisioned concurrency is refused as invalid input, as are unreadable reports and a
 * baseline endpoint missing from the current run.
 */
public final class ReportComparator {

    /** The percentiles decided on; {@link Percentile#MAX} is shown as not tested. */
    private static final List<Percentile> PERCENTILES = List.of(Percentile.values());
    private static final double RATE_TOLERANCE = 1e-9;

    private final double threshold;
    private final double confidence;
    private final int iterations;
    private final long seed;

    private ReportComparator(Builder builder) {
        this.threshold = builder.threshold;
        this.confidence = builder.confidence;
        this.iterations = builder.iterations;
        this.seed = builder.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads both files and compares them; unreadable or mismatched input gives an INVALID_INPUT result. */
    public ComparisonResult compare(Path baseline, Path current) {
        RunReport baselineReport;
        RunReport currentReport;
        try {
            baselineReport = ReportJson.read(baseline);
        } catch (InvalidReportException e) {
            return ComparisonResult.invalid("baseline report " + e.getMessage(), threshold, confidence);
        }
        try {
            currentReport = ReportJson.read(current);
        } catch (InvalidReportException e) {
            return ComparisonResult.invalid("current report " + e.getMessage(), threshold, confidence);
        }
        return compare(baselineReport, currentReport);
    }

    public ComparisonResult compare(RunReport baseline, RunReport current) {
        List<String> mismatches = settingMismatches(baseline, current);
        if (!mismatches.isEmpty()) {
            return ComparisonResult.invalid("cannot compare: the runs used different settings: "
                    + String.join("; ", mismatches) + ". Compare runs of the same scenario, or start a new baseline.",
                    threshold, confidence);
        }
        List<String> notes = new ArrayList<>(settingNotes(baseline.settings(), current.settings()));
        hostLoadNote(baseline, current).ifPresent(notes::add);
        List<PercentileComparison> comparisons = new ArrayList<>();
        for (EndpointReport base : baseline.endpoints()) {
            EndpointReport now = current.endpoint(base.name()).orElse(null);
            if (now == null) {
                return ComparisonResult.invalid("cannot compare: the current report has no endpoint '" + base.name()
                        + "' (it has " + names(current) + "; the baseline has " + names(baseline) + ")",
                        threshold, confidence);
            }
            comparisons.addAll(compareEndpoint(base, now, notes));
            long failed = now.requests() - now.count(Outcome.SUCCESS);
            if (failed > 0) {
                notes.add(base.name() + ": " + failed + " of " + now.requests() + " requests failed in the current run"
                        + " (their latencies are included: timeouts at their timeout)");
            }
        }
        current.endpoints().stream().filter(e -> baseline.endpoint(e.name()).isEmpty())
                .forEach(e -> notes.add("endpoint '" + e.name() + "' is new in the current run: not compared"));
        List<PercentileComparison> regressions = comparisons.stream()
                .filter(c -> c.verdict() == Verdict.REGRESSION).toList();
        String message = regressions.isEmpty()
                ? "no regression beyond " + percent(threshold) + " and run-to-run noise (" + comparisons.size()
                + " percentiles compared)"
                : "regression: " + regressions.stream().map(c -> c.endpoint() + " " + c.percentile() + " "
                + String.format(Locale.ROOT, "%.1f → %.1f ms", c.baselineMs(), c.currentMs()))
                .collect(Collectors.joining(", "));
        return new ComparisonResult(regressions.isEmpty() ? ComparisonResult.Status.NO_REGRESSION
                : ComparisonResult.Status.REGRESSION, message, comparisons, notes, threshold, confidence);
    }

    private List<PercentileComparison> compareEndpoint(EndpointReport baseline, EndpointReport current,
                                                       List<String> notes) {
        HistogramResampler base = new HistogramResampler(LatencyHistograms.decode(baseline.histograms().allMicros()));
        HistogramResampler now = new HistogramResampler(LatencyHistograms.decode(current.histograms().allMicros()));
        List<PercentileComparison> rows = new ArrayList<>();
        for (Percentile percentile : PERCENTILES) {
            if (base.count() == 0 || now.count() == 0) {
                rows.add(new PercentileComparison(baseline.name(), percentile.label(),
                        baseline.latencyMs().valueMs(percentile), current.latencyMs().valueMs(percentile),
                        Double.NaN, Double.NaN, 0, Verdict.NOT_TESTED));
                continue;
            }
            double baseMs = base.percentile(percentile.percentile()) / 1000.0;
            double nowMs = now.percentile(percentile.percentile()) / 1000.0;
            double thresholdMs = threshold * baseMs;
            if (percentile == Percentile.MAX) {
                rows.add(new PercentileComparison(baseline.name(), percentile.label(), baseMs, nowMs, Double.NaN,
                        Double.NaN, thresholdMs, Verdict.NOT_TESTED));
                continue;
            }
            if (isSampleMaximum(percentile, base) || isSampleMaximum(percentile, now)) {
                notes.add(baseline.name() + " " + percentile.label() + " is the sample maximum of "
                        + Math.min(base.count(), now.count()) + " requests, which the bootstrap cannot bound: not"
                        + " tested (it is from " + countBelowMaximum(percentile) + " requests on)");
                rows.add(new PercentileComparison(baseline.name(), percentile.label(), baseMs, nowMs, Double.NaN,
                        Double.NaN, thresholdMs, Verdict.NOT_TESTED));
                continue;
            }
            double[] interval = differenceInterval(base, now, percentile.percentile(), baseline.name());
            Verdict verdict = interval[0] > thresholdMs ? Verdict.REGRESSION
                    : interval[1] < -thresholdMs ? Verdict.IMPROVEMENT : Verdict.NO_CHANGE;
            rows.add(new PercentileComparison(baseline.name(), percentile.label(), baseMs, nowMs, interval[0],
                    interval[1], thresholdMs, verdict));
        }
        return rows;
    }

    /** Whether the percentile of this sample is its largest value (p99.9 of up to 1,000 values, p99 of up to 100). */
    private static boolean isSampleMaximum(Percentile percentile, HistogramResampler sample) {
        return Percentiles.rank(percentile.percentile(), sample.count()) == sample.count();
    }

    /** The fewest requests of which the percentile is not the largest (1,000 for p99.9). */
    private static long countBelowMaximum(Percentile percentile) {
        long count = 1;
        while (Percentiles.rank(percentile.percentile(), count) == count) {
            count++;
        }
        return count;
    }

    /** The bootstrap confidence interval (ms) of current − baseline for one percentile (percentile method). */
    private double[] differenceInterval(HistogramResampler base, HistogramResampler now, double percentile,
                                        String endpoint) {
        // One stream per endpoint and percentile: adding an endpoint does not change another's interval.
        Random random = new Random(seed ^ (31L * endpoint.hashCode() + Double.hashCode(percentile)));
        double[] differences = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            differences[i] = (now.resampledPercentile(percentile, random)
                    - base.resampledPercentile(percentile, random)) / 1000.0;
        }
        Arrays.sort(differences);
        double alpha = 1 - confidence;
        int low = (int) Math.floor(alpha / 2 * iterations);
        int high = Math.min(iterations - 1, (int) Math.ceil((1 - alpha / 2) * iterations) - 1);
        return new double[]{differences[low], differences[high]};
    }

    private static List<String> settingMismatches(RunReport baseline, RunReport current) {
        List<String> mismatches = new ArrayList<>();
        if (!Objects.equals(baseline.target(), current.target())) {
            mismatches.add("target " + baseline.target() + " ≠ " + current.target());
        }
        RunSettings base = baseline.settings();
        RunSettings now = current.settings();
        if (base.provisionedConcurrency() != now.provisionedConcurrency()) {
            mismatches.add("provisionedConcurrency " + base.provisionedConcurrency() + " ≠ "
                    + now.provisionedConcurrency());
        }
        if (base.phases().size() != now.phases().size()) {
            mismatches.add("phases " + phaseNames(base) + " ≠ " + phaseNames(now));
            return mismatches;
        }
        for (int i = 0; i < base.phases().size(); i++) {
            RunSettings.PhaseSettings a = base.phases().get(i);
            RunSettings.PhaseSettings b = now.phases().get(i);
            if (!a.name().equals(b.name())) {
                mismatches.add("phase " + (i + 1) + " name '" + a.name() + "' ≠ '" + b.name() + "'");
            }
            if (Math.abs(a.arrivalRatePerSecond() - b.arrivalRatePerSecond()) > RATE_TOLERANCE) {
                mismatches.add("phase '" + a.name() + "' arrival rate " + a.arrivalRatePerSecond() + "/s ≠ "
                        + b.arrivalRatePerSecond() + "/s");
            }
            if (Math.abs(a.durationSeconds() - b.durationSeconds()) > RATE_TOLERANCE) {
                mismatches.add("phase '" + a.name() + "' duration " + a.durationSeconds() + " s ≠ "
                        + b.durationSeconds() + " s");
            }
        }
        return mismatches;
    }

    /**
     * What the host did in each run, when either report recorded it (schema 4 on): a busier host is a cause of slower
     * numbers that is not the functions'.
     */
    private static Optional<String> hostLoadNote(RunReport baseline, RunReport current) {
        if (baseline.hostLoad() == null && current.hostLoad() == null) {
            return Optional.empty();
        }
        return Optional.of("host load: baseline " + hostLoad(baseline) + "; current " + hostLoad(current));
    }

    private static String hostLoad(RunReport report) {
        HostLoad host = report.hostLoad();
        if (host == null) {
            return "not recorded (report schema " + report.schemaVersion() + ")";
        }
        if (!host.measured()) {
            return host.summary();
        }
        return String.format(Locale.ROOT, "busy cores mean %.2f of %d, min idle %.1f %%", host.load().meanBusyCores(),
                host.cores(), host.load().minIdlePercent());
    }

    private static List<String> settingNotes(RunSettings base, RunSettings now) {
        List<String> notes = new ArrayList<>();
        if (base.requestTimeoutMs() != now.requestTimeoutMs()) {
            notes.add("request timeout differs: " + base.requestTimeoutMs() + " ms → " + now.requestTimeoutMs() + " ms");
        }
        if (base.maxInFlightPerEndpoint() != now.maxInFlightPerEndpoint()) {
            notes.add("max in flight per endpoint differs: " + base.maxInFlightPerEndpoint() + " → "
                    + now.maxInFlightPerEndpoint());
        }
        if (!base.other().equals(now.other())) {
            notes.add("other settings differ: " + base.other() + " → " + now.other());
        }
        return notes;
    }

    private static String phaseNames(RunSettings settings) {
        return settings.phases().stream().map(RunSettings.PhaseSettings::name).toList().toString();
    }

    private static String names(RunReport report) {
        return report.endpoints().stream().map(EndpointReport::name).toList().toString();
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    /**
     * Builds a {@link ReportComparator}; defaults: threshold 0.10, confidence 0.95, 2000 iterations, seed 1.
     */
    public static final class Builder {
        private double threshold = 0.10;
        private double confidence = 0.95;
        private int iterations = 2_000;
        private long seed = 1;

        private Builder() {
        }

        /** The relative change that counts as a regression, e.g. 0.10 for 10 % (CLI: --threshold). */
        public Builder threshold(double threshold) {
            if (!(threshold > 0 && threshold <= 10)) {
                throw new IllegalArgumentException("--threshold " + threshold
                        + " is out of range: use a fraction above 0 and at most 10, e.g. 0.10 for 10 %");
            }
            this.threshold = threshold;
            return this;
        }

        /** The confidence level of the bootstrap interval (CLI: --confidence). */
        public Builder confidence(double confidence) {
            if (!(confidence >= 0.5 && confidence <= 0.999)) {
                throw new IllegalArgumentException("--confidence " + confidence
                        + " is out of range: use a level from 0.5 to 0.999, e.g. 0.95");
            }
            this.confidence = confidence;
            return this;
        }

        /** Bootstrap replicates per percentile. */
        public Builder iterations(int iterations) {
            if (iterations < 100 || iterations > 100_000) {
                throw new IllegalArgumentException("iterations " + iterations + " is out of range: use 100 to 100000");
            }
            this.iterations = iterations;
            return this;
        }

        /** Seed of the resampling: the same seed and inputs give the same intervals. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public ReportComparator build() {
            return new ReportComparator(this);
        }
    }
}
