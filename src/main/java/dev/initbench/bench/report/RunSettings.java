package dev.initbench.bench.report;

import dev.initbench.bench.load.LoadPlan;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scenario a run used. {@code compare} refuses to compare runs whose target, phases (names, rates,
 * durations) or provisioned concurrency differ; other differences are listed as notes.
 *
 * @param provisionedConcurrency provisioned environments per function
 * @param phases                 the load phases
 * @param requestTimeoutMs       per-request timeout from the intended send time
 * @param maxInFlightPerEndpoint bound on outstanding requests per endpoint
 * @param other                  further settings worth showing (memory size, runtime, region, …)
 */
public record RunSettings(int provisionedConcurrency, List<PhaseSettings> phases, long requestTimeoutMs,
                          int maxInFlightPerEndpoint, Map<String, String> other) {

    /** One load phase; {@code query} is what its requests carried on the URI ("" or absent for nothing). */
    public record PhaseSettings(String name, double arrivalRatePerSecond, double durationSeconds, String query) {

        public PhaseSettings {
            query = query == null ? "" : query;
        }

        public PhaseSettings(String name, double arrivalRatePerSecond, double durationSeconds) {
            this(name, arrivalRatePerSecond, durationSeconds, "");
        }
    }

    public RunSettings {
        phases = phases == null ? List.of() : List.copyOf(phases);
        other = other == null ? Map.of() : new TreeMap<>(other);
    }

    /** The settings of a load plan. */
    public static RunSettings of(LoadPlan plan, int provisionedConcurrency, Map<String, String> other) {
        return new RunSettings(provisionedConcurrency,
                plan.phases().stream().map(p -> new PhaseSettings(p.name(), p.arrivalRatePerSecond(),
                        p.duration().toNanos() / 1e9, p.query())).toList(),
                plan.requestTimeout().toMillis(), plan.maxInFlightPerEndpoint(), other);
    }
}
