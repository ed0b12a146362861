package dev.initbench.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PercentilesTest {

    private static final double[] LEVELS = {0.1, 1, 25, 50, 90, 95, 99, 99.5, 99.9, 99.99, 100};

    @ParameterizedTest(name = "p{0} of {1} values is the {2}th")
    @CsvSource({
            "99, 180, 179",   // the example: rounding would give the 178th
            "99, 100, 99",
            "99, 200, 198",   // 0.99 × 200 is 198.00000000000003 in floating point: the ulp nudge keeps it 198
            "50, 1, 1",
            "50, 2, 1",
            "50, 3, 2",
            "99.9, 180, 180",
            "100, 180, 180",
            "0, 180, 1",
            "90, 10, 9",
    })
    void rankIsHdrHistogramsCeilingRank(double percentile, long count, long rank) {
        assertThat(Percentiles.rank(percentile, count)).isEqualTo(rank);
    }

    @Test
    void rankPicksTheValueHdrHistogramReportsForEveryCountUpTo1000() {
        Random random = new Random(7);
        for (int count = 1; count <= 1000; count++) {
            long[] sorted = new long[count];
            Histogram histogram = LatencyHistograms.newHistogram();
            for (int i = 0; i < count; i++) {
                // Distinct buckets: each value lands in its own bucket, so a wrong rank shows as a wrong value.
                sorted[i] = 1000L * (i + 1) + random.nextInt(100);
                histogram.recordValue(sorted[i]);
            }
            for (double level : LEVELS) {
                long expected = histogram.highestEquivalentValue(sorted[(int) Percentiles.rank(level, count) - 1]);
                assertThat(Percentiles.valueAt(histogram, level)).as("p%s of %d", level, count)
                        .isEqualTo(level == 0 ? histogram.getValueAtPercentile(0) : expected);
            }
        }
    }

    @Test
    void theCurveReadAtAnyPercentileGivesValueAt() {
        Histogram histogram = LatencyHistograms.newHistogram();
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            histogram.recordValue(1 + (long) (20_000 * Math.exp(random.nextGaussian())));
        }
        List<Percentiles.CurvePoint> curve = Percentiles.curve(histogram);

        assertThat(curve.get(0).percentile()).isZero();
        assertThat(curve.get(curve.size() - 1)).isEqualTo(new Percentiles.CurvePoint(100, histogram.getMaxValue()));
        for (double level = 0.05; level < 100; level += 0.1) {
            assertThat(readStepCurve(curve, level)).as("p%s", level).isEqualTo(Percentiles.valueAt(histogram, level));
        }
    }

    @Test
    void emptyHistogramsHaveNoCurveAndZeroValues() {
        Histogram empty = LatencyHistograms.newHistogram();

        assertThat(Percentiles.curve(empty)).isEmpty();
        assertThat(Percentiles.valueAt(empty, 99)).isZero();
        assertThatThrownBy(() -> Percentiles.rank(99, 0)).hasMessageContaining("record at least one");
    }

    /** A step chart ('end') shows, above a corner's percentile, the corner's value until the next corner. */
    static long readStepCurve(List<Percentiles.CurvePoint> curve, double percentile) {
        long value = curve.get(0).value();
        for (Percentiles.CurvePoint point : curve) {
            if (point.percentile() < percentile) {
                value = point.value();
            }
        }
        return value;
    }
}
