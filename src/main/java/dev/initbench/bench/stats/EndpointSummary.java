package dev.initbench.bench.stats;

import dev.initbench.bench.load.Outcome;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One endpoint's results.
 *
 * @param endpoint          the endpoint's name
 * @param requests          scheduled requests (equals the sum of {@link #outcomes()})
 * @param outcomes          requests by outcome (every outcome present)
 * @param all               latencies of all requests from their intended send times (timeouts at their timeout)
 * @param successes         latencies of 2xx requests
 * @param firstInvocations  latencies of successes that were their environment's first invocation
 * @param laterInvocations  latencies of the other attributable successes
 * @param attribution       environments, init types, cold starts and setup costs from the response bodies
 */
public record EndpointSummary(String endpoint, long requests, Map<Outcome, Long> outcomes, LatencyPercentiles all,
                              LatencyPercentiles successes, LatencyPercentiles firstInvocations,
                              LatencyPercentiles laterInvocations, Attribution attribution) {

    public EndpointSummary {
        // Outcome order, so report.json lists them the same way every time.
        outcomes = Collections.unmodifiableMap(new EnumMap<>(outcomes));
    }

    public long count(Outcome outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }

    /** Requests that did not succeed. */
    public long errors() {
        return requests - count(Outcome.SUCCESS);
    }
}
