package dev.initbench.bench.stats;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of a latency histogram, in milliseconds (all zero when the histogram is empty).
 *
 * @param count number of recorded latencies
 */
public record LatencyPercentiles(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                                 double meanMs) {

    /** The percentiles reported everywhere, in order, with their labels. */
    public enum Percentile {
        P50("p50", 50.0), P90("p90", 90.0), P99("p99", 99.0), P999("p99.9", 99.9), MAX("max", 100.0);

        private final String label;
        private final double percentile;

        Percentile(String label, double percentile) {
            this.label = label;
            this.percentile = percentile;
        }

        public String label() {
            return label;
        }

        /** 0–100. */
        public double percentile() {
            return percentile;
        }

        /** The value with this label ("p99.9"); fails naming the allowed labels otherwise. */
        public static Percentile ofLabel(String label) {
            for (Percentile value : values()) {
                if (value.label.equals(label)) {
                    return value;
                }
            }
            throw new IllegalArgumentException("unknown percentile '" + label + "': use p50, p90, p99, p99.9 or max");
        }
    }

    /** Percentiles of a histogram recorded in microseconds, by the one definition ({@link Percentiles}). */
    public static LatencyPercentiles ofMicros(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencyPercentiles(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencyPercentiles(micros.getTotalCount(),
                millis(Percentiles.valueAt(micros, 50)),
                millis(Percentiles.valueAt(micros, 90)),
                millis(Percentiles.valueAt(micros, 99)),
                millis(Percentiles.valueAt(micros, 99.9)),
                millis(Percentiles.valueAt(micros, 100)),
                micros.getMean() / 1000.0);
    }

    /** The value of one percentile in milliseconds. */
    public double valueMs(Percentile percentile) {
        return switch (percentile) {
            case P50 -> p50Ms;
            case P90 -> p90Ms;
            case P99 -> p99Ms;
            case P999 -> p999Ms;
            case MAX -> maxMs;
        };
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
