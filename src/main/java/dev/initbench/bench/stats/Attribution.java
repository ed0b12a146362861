package dev.initbench.bench.stats;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one endpoint's latency came from, according to its 2xx response bodies.
 *
 * @param environmentsTouched            distinct execution environments that answered
 * @param environmentsByInitType         those environments by initialization type
 * @param requestsByInitType             answered requests by their environment's initialization type
 * @param onDemandColdStarts             environments of type {@code on-demand}: each one a cold start outside
 *                                       provisioned concurrency (spillover)
 * @param firstInvocations               responses that were their environment's first invocation
 * @param firstInvocationsWithSetup      first invocations that paid the client build and parameter fetch
 *                                       ({@code setupInThisInvocationMs > 0}): lazy's, never eager's
 * @param laterInvocationsWithSetup      later invocations that paid it (a lazy retry after a failed fetch)
 * @param meanSetupInFirstInvocationMs   mean {@code setupInThisInvocationMs} over first invocations
 * @param maxSetupInFirstInvocationMs    its maximum
 * @param meanInitDurationMs             mean handler init time over environments (eager includes the fetch)
 * @param responsesWithoutFacts          2xx responses whose body did not carry the facts (not attributable)
 */
public record Attribution(long environmentsTouched, Map<String, Long> environmentsByInitType,
                          Map<String, Long> requestsByInitType, long onDemandColdStarts, long firstInvocations,
                          long firstInvocationsWithSetup, long laterInvocationsWithSetup,
                          double meanSetupInFirstInvocationMs, double maxSetupInFirstInvocationMs,
                          double meanInitDurationMs, long responsesWithoutFacts) {

    public Attribution {
        // Sorted by init type, so report.json lists them the same way every time.
        environmentsByInitType = Collections.unmodifiableMap(new TreeMap<>(environmentsByInitType));
        requestsByInitType = Collections.unmodifiableMap(new TreeMap<>(requestsByInitType));
    }
}
