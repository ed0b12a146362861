package dev.initbench.bench.run;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * A local scenario refused before its first request: it would saturate the host (see {@link CapacityEstimate}).
 * Thrown after teardown; it carries what the functions' log groups showed just before it, so "no request was sent"
 * is a measured statement.
 */
public final class CapacityRefusedException extends RuntimeException {

    private final transient CapacityEstimate estimate;
    private final Map<String, Integer> invocationsBeforeRefusal;

    /**
     * @param estimate                 the estimate that did not fit
     * @param invocationsBeforeRefusal per function name, the START lines its log group held when the scenario was
     *                                 refused (read through the Logs API before teardown); all 0 unless a request
     *                                 reached a function before the load
     */
    public CapacityRefusedException(CapacityEstimate estimate, Map<String, Integer> invocationsBeforeRefusal) {
        super(message(estimate, invocationsBeforeRefusal));
        this.estimate = estimate;
        this.invocationsBeforeRefusal = Map.copyOf(invocationsBeforeRefusal);
    }

    private static String message(CapacityEstimate estimate, Map<String, Integer> invocations) {
        int total = invocations.values().stream().mapToInt(Integer::intValue).sum();
        String sent = total == 0
                ? "no request was sent (the functions' log groups hold no START line)"
                : "yet " + total + " invocations reached the functions before the load, which is a bug: "
                        + invocations.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", "));
        return "refused before the first request, " + sent + ": " + estimate.describe()
                + ". Lower --provisioned-concurrency or --arrival-rate, or pass --allow-saturation"
                + " (bench.allowSaturation=true) to run it anyway (its result will likely be invalid: host saturated)";
    }

    public CapacityEstimate estimate() {
        return estimate;
    }

    /** Per function name, the invocations (START lines) its log group held when the scenario was refused. */
    public Map<String, Integer> invocationsBeforeRefusal() {
        return invocationsBeforeRefusal;
    }
}
