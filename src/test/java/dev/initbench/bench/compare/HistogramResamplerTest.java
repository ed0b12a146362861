package dev.initbench.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.stats.LatencyHistograms;
import java.util.Arrays;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramResamplerTest {

    @Test
    void observedPercentilesMatchHdrHistogram() {
        Histogram histogram = CraftedReports.latencies(1, 1234, 1.0);
        HistogramResampler resampler = new HistogramResampler(histogram);

        for (double percentile : new double[]{50, 90, 99, 99.9, 100}) {
            assertThat(resampler.percentile(percentile)).as("p%s", percentile)
                    .isEqualTo(histogram.getValueAtPercentile(percentile));
        }
    }

    @Test
    void orderStatisticReplicatesHaveTheDistributionOfNaiveResampling() {
        Histogram histogram = CraftedReports.latencies(2, 400, 1.0);
        HistogramResampler resampler = new HistogramResampler(histogram);
        long[] values = new long[400];
        int i = 0;
        for (var value : histogram.recordedValues()) {
            for (long c = 0; c < value.getCountAtValueIteratedTo(); c++) {
                values[i++] = value.getValueIteratedTo();
            }
        }
        Random random = new Random(3);
        int replicates = 4000;
        double[] direct = new double[replicates];
        double[] naive = new double[replicates];
        for (int r = 0; r < replicates; r++) {
            direct[r] = resampler.resampledPercentile(90, random);
            long[] resample = new long[values.length];
            for (int j = 0; j < resample.length; j++) {
                resample[j] = values[random.nextInt(values.length)];
            }
            Histogram resampled = LatencyHistograms.newHistogram();
            Arrays.stream(resample).forEach(resampled::recordValue);
            naive[r] = resampled.getValueAtPercentile(90);
        }
        // Same mean and spread within a few percent: the shortcut is the bootstrap, not an approximation of it.
        assertThat(mean(direct)).isCloseTo(mean(naive), org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(sd(direct)).isCloseTo(sd(naive), org.assertj.core.data.Percentage.withPercentage(10));
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    private static double sd(double[] values) {
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1));
    }
}
