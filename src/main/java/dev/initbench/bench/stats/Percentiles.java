package dev.initbench.bench.stats;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The one percentile definition of this project, HdrHistogram's {@link Histogram#getValueAtPercentile}: the
 * p-th percentile of n recorded values is the k-th smallest, k = max(1, ceil(p / 100 × n)) (p nudged one ulp
 * down first, so 99 % of 200 is the 198th value, not the 199th through rounding error), reported as the highest
 * value of its bucket. report.json, the console and Markdown tables, {@code compare} and the HTML chart all take
 * their percentiles from here, so a p99 means the same value in each (for 180 requests, the 179th).
 */
public final class Percentiles {

    private Percentiles() {
    }

    /**
     * The 1-based rank of the value that is the {@code percentile} (0–100) of {@code count} values, exactly as
     * {@link Histogram#getValueAtPercentile} computes it.
     */
    public static long rank(double percentile, long count) {
        if (count < 1) {
            throw new IllegalArgumentException("a percentile of " + count + " values is undefined: record at least one");
        }
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
        long rank = (long) Math.ceil(requested * count / 100.0);
        return Math.max(1, Math.min(count, rank));
    }

    /** The {@code percentile} (0–100) of the histogram's values, in the histogram's unit; 0 when it is empty. */
    public static long valueAt(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
    }

    /**
     * A corner of the percentile curve drawn as a step chart: for every percentile above {@code percentile} up to
     * the next corner's, {@link #valueAt} is {@code value}.
     */
    public record CurvePoint(double percentile, long value) {
    }

    /**
     * The histogram's whole percentile curve under this definition: one corner per recorded bucket, at the
     * percentile where that bucket's values begin (100 × values below it / n), then a closing corner at 100 with
     * the maximum. Empty for an empty histogram.
     */
    public static List<CurvePoint> curve(Histogram histogram) {
        List<CurvePoint> curve = new ArrayList<>();
        long total = histogram.getTotalCount();
        if (total == 0) {
            return curve;
        }
        long below = 0;
        long last = 0;
        for (HistogramIterationValue bucket : histogram.recordedValues()) {
            curve.add(new CurvePoint(100.0 * below / total, bucket.getValueIteratedTo()));
            below += bucket.getCountAtValueIteratedTo();
            last = bucket.getValueIteratedTo();
        }
        curve.add(new CurvePoint(100.0, last));
        return curve;
    }
}
