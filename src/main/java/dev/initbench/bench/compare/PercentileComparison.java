package dev.initbench.bench.compare;

/**
 * One endpoint's percentile in baseline and current run, and the verdict.
 *
 * @param endpoint     the endpoint
 * @param percentile   its label: p50, p90, p99, p99.9, max
 * @param baselineMs   the baseline's value
 * @param currentMs    the current run's value
 * @param ciLowMs      lower bound of the bootstrap confidence interval of current − baseline (NaN when not tested)
 * @param ciHighMs     upper bound of that interval (NaN when not tested)
 * @param thresholdMs  threshold × baseline: the change that counts as a regression
 * @param verdict      what the interval says against the threshold
 */
public record PercentileComparison(String endpoint, String percentile, double baselineMs, double currentMs,
                                   double ciLowMs, double ciHighMs, double thresholdMs, Verdict verdict) {

    /** The outcome for one percentile. */
    public enum Verdict {
        /** The whole interval of current − baseline lies above threshold × baseline. */
        REGRESSION,
        /** The whole interval lies below −threshold × baseline. */
        IMPROVEMENT,
        /** Otherwise: within the threshold, or not distinguishable from run-to-run noise. */
        NO_CHANGE,
        /**
         * Shown, not decided: the maximum, or a percentile that is the sample maximum (the bootstrap cannot put an
         * interval on a sample maximum: a resample never exceeds it), or a percentile of an endpoint without
         * recorded latencies.
         */
        NOT_TESTED
    }

    /** current − baseline. */
    public double differenceMs() {
        return currentMs - baselineMs;
    }
}
