package dev.initbench.bench.compare;

import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.report.EndpointReport;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.report.RunSettings;
import dev.initbench.bench.stats.Attribution;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.bench.stats.LatencyPercentiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;

/** Reports built from synthetic latency histograms, for compare's tests. */
final class CraftedReports {

    static final RunSettings SETTINGS = new RunSettings(20,
            List.of(new RunSettings.PhaseSettings("steady", 10, 60), new RunSettings.PhaseSettings("burst", 40, 10)),
            10_000, 256, Map.of("memorySize", "1024"));

    private CraftedReports() {
    }

    /**
     * Latencies like a warm function with a cold-start tail: 95 % log-normal around 20 ms, 5 % around 150 ms;
     * all multiplied by {@code scale}.
     */
    static Histogram latencies(long seed, int count, double scale) {
        Random random = new Random(seed);
        Histogram histogram = LatencyHistograms.newHistogram();
        for (int i = 0; i < count; i++) {
            double ms = random.nextDouble() < 0.95
                    ? 20 * Math.exp(0.3 * random.nextGaussian())
                    : 150 * Math.exp(0.4 * random.nextGaussian());
            LatencyHistograms.recordNanos(histogram, (long) (ms * scale * 1_000_000));
        }
        return histogram;
    }

    static RunReport report(String target, RunSettings settings, Map<String, Histogram> endpoints) {
        List<EndpointReport> reports = new ArrayList<>();
        endpoints.forEach((name, histogram) -> reports.add(endpoint(name, histogram)));
        reports.sort((a, b) -> a.name().compareTo(b.name()));
        return new RunReport(RunReport.SCHEMA_VERSION, "run-" + target, target, settings, "2026-11-28T01:00:00Z",
                "2026-11-28T01:01:10Z", reports, List.of(), null, null, null);
    }

    static RunReport report(Map<String, Histogram> endpoints) {
        return report("local", SETTINGS, endpoints);
    }

    private static EndpointReport endpoint(String name, Histogram histogram) {
        LatencyPercentiles percentiles = LatencyPercentiles.ofMicros(histogram);
        String encoded = LatencyHistograms.encode(histogram);
        Attribution none = new Attribution(0, Map.of(), Map.of(), 0, 0, 0, 0, 0, 0, 0, 0);
        return new EndpointReport(name, "http://127.0.0.1/" + name, histogram.getTotalCount(),
                Map.of(Outcome.SUCCESS, histogram.getTotalCount(), Outcome.HTTP_ERROR, 0L, Outcome.TIMEOUT, 0L,
                        Outcome.CONNECTION_ERROR, 0L),
                percentiles, percentiles, percentiles, percentiles, none, null, null,
                new EndpointReport.EncodedHistograms(encoded, encoded));
    }
}
