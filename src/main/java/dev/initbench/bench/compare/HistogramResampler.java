package dev.initbench.bench.compare;

import dev.initbench.bench.stats.Percentiles;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Draws bootstrap replicates of a percentile of a recorded latency histogram.
 *
 * <p>A bootstrap replicate resamples the n recorded values with replacement and takes the percentile of the
 * resample, i.e. its k-th smallest value. Drawing n values per replicate costs O(n); this class draws the k-th
 * order statistic directly, which has exactly the same distribution: the k-th smallest of n uniform variates is
 * Beta(k, n − k + 1)-distributed, and mapping it through the histogram's inverse CDF gives the k-th smallest of n
 * values resampled from the histogram. Each replicate then costs two Gamma variates and a binary search, so the
 * bootstrap stays cheap for runs of any length.
 *
 * <p>Ranks are {@link Percentiles#rank} (HdrHistogram's definition, k = max(1, ceil(percentile / 100 × n))), and a
 * value is reported as the highest value equivalent to its bucket, so observed percentiles are report.json's.
 */
final class HistogramResampler {

    /** Marsaglia–Tsang accepts over 95 % of candidates; this bound is never reached in practice. */
    private static final int MAX_GAMMA_ATTEMPTS = 10_000;

    private final long[] values;
    private final long[] cumulativeCounts;
    private final long total;

    HistogramResampler(Histogram histogram) {
        int buckets = 0;
        for (HistogramIterationValue ignored : histogram.recordedValues()) {
            buckets++;
        }
        values = new long[buckets];
        cumulativeCounts = new long[buckets];
        int i = 0;
        long cumulative = 0;
        for (HistogramIterationValue value : histogram.recordedValues()) {
            cumulative += value.getCountAtValueIteratedTo();
            values[i] = value.getValueIteratedTo();
            cumulativeCounts[i] = cumulative;
            i++;
        }
        total = cumulative;
    }

    long count() {
        return total;
    }

    /** The percentile (0–100) of the recorded values. */
    long percentile(double percentile) {
        return valueAtRank(rank(percentile));
    }

    /** One bootstrap replicate of the percentile (0–100). */
    long resampledPercentile(double percentile, Random random) {
        long k = rank(percentile);
        double u = beta(k, total - k + 1, random);
        long rank = Math.max(1, Math.min(total, (long) Math.ceil(u * total)));
        return valueAtRank(rank);
    }

    private long rank(double percentile) {
        if (total == 0) {
            throw new IllegalStateException("no recorded values to take a percentile of");
        }
        return Percentiles.rank(percentile, total);
    }

    /** The smallest value whose cumulative count reaches {@code rank} (1-based). */
    private long valueAtRank(long rank) {
        int low = 0;
        int high = values.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulativeCounts[mid] >= rank) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return values[low];
    }

    private static double beta(double a, double b, Random random) {
        double x = gamma(a, random);
        double y = gamma(b, random);
        return x / (x + y);
    }

    /** Marsaglia and Tsang's method; shape ≥ 1 always holds here (k ≥ 1 and n − k + 1 ≥ 1). */
    private static double gamma(double shape, Random random) {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9.0 * d);
        for (int attempt = 0; attempt < MAX_GAMMA_ATTEMPTS; attempt++) {
            double x = random.nextGaussian();
            double v = 1.0 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1.0 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1.0 - v + Math.log(v))) {
                return d * v;
            }
        }
        throw new IllegalStateException("Gamma(" + shape + ") sampling did not converge");
    }
}
