package dev.initbench.bench.report;

import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.stats.Attribution;
import dev.initbench.bench.stats.CpuContention;
import dev.initbench.bench.stats.LatencyPercentiles;
import dev.initbench.bench.stats.ReportReconciliation;
import java.util.Map;

/**
 * One endpoint in report.json.
 *
 * @param name                     the endpoint's name ("eager", "lazy")
 * @param uri                      where it was sent
 * @param requests                 scheduled requests (the sum of outcomes)
 * @param outcomes                 requests by outcome
 * @param latencyMs                percentiles of all requests, from their intended send times
 * @param successLatencyMs         percentiles of 2xx requests
 * @param firstInvocationLatencyMs percentiles of successes that were their environment's first invocation
 * @param laterInvocationLatencyMs percentiles of the other attributable successes
 * @param attribution              environments, init types, cold starts, setup costs
 * @param reconciliation           responses against REPORT log lines; null when no log lines were read
 * @param cpuContention            share of latency spent waiting for a CPU of the host (HOSTCPU lines); null when
 *                                 no log lines were read (and in reports of schema version 2)
 * @param histograms               the recorded latencies (µs), HdrHistogram compressed and base64-encoded
 */
public record EndpointReport(String name, String uri, long requests, Map<Outcome, Long> outcomes,
                             LatencyPercentiles latencyMs, LatencyPercentiles successLatencyMs,
                             LatencyPercentiles firstInvocationLatencyMs, LatencyPercentiles laterInvocationLatencyMs,
                             Attribution attribution, ReportReconciliation reconciliation,
                             CpuContention cpuContention, EncodedHistograms histograms) {

    /**
     * @param allMicros     all requests' latencies
     * @param successMicros 2xx requests' latencies
     */
    public record EncodedHistograms(String allMicros, String successMicros) {
    }

    public long count(Outcome outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }
}
