package dev.initbench.bench.run;

import dev.initbench.bench.config.Strategy;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one provisioned environment of a strategy is expected to spend of this host's CPU on its first invocation,
 * and on what basis, for the {@link CapacityEstimate}. Priced from the provisioned environments' mean init CPU
 * (their HOSTCPU Init lines), before any request:
 * <ul>
 *   <li>a strategy that defers nothing (eager, esm) pays a {@linkplain Basis#WARM_REQUEST warm request};</li>
 *   <li>a strategy that defers work ({@link Strategy#defersInitWork()}) pays, at its first invocation, about what its
 *       {@linkplain Strategy#initCounterpart() counterpart} did at init beyond its own init: both start the same
 *       runtime, so the difference of their init CPU is the deferred work ({@link Basis#COUNTERPART_INIT});</li>
 *   <li>without the counterpart deployed, {@link #OWN_INIT_FACTOR} times its own init CPU stands in
 *       ({@link Basis#OWN_INIT}), erring towards refusing: lazy deployed alone measured 472 ms of init CPU and
 *       815 ms per first invocation (the client's classes load and run cold, with the JIT's help still to come);
 *       cjs's deferred fetch is far cheaper than its init (README, <i>Capacity before the load</i>).</li>
 * </ul>
 * A deferring strategy's figure is never below a warm request's.
 *
 * @param strategy the endpoint's strategy
 * @param cpuMs    expected CPU of one first invocation, all processes of this host together
 * @param basis    how {@code cpuMs} was obtained
 */
public record FirstInvocationCost(Strategy strategy, double cpuMs, Basis basis) {

    /** Where a first invocation's CPU figure comes from. */
    public enum Basis {
        /** The strategy defers nothing: its first invocation is a warm request. */
        WARM_REQUEST,
        /** The counterpart's mean init CPU minus this strategy's own. */
        COUNTERPART_INIT,
        /** {@link #OWN_INIT_FACTOR} × this strategy's own mean init CPU, when the counterpart is not deployed. */
        OWN_INIT
    }

    /** A deferring strategy's first invocation without its counterpart: this multiple of its own init CPU. */
    public static final double OWN_INIT_FACTOR = 2;

    public FirstInvocationCost {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(basis, "basis");
        if (!(cpuMs >= 0)) {
            throw new IllegalArgumentException("first invocation CPU of " + strategy.id() + " must be >= 0 ms, was "
                    + cpuMs);
        }
    }

    /**
     * Prices a strategy's first invocation from the mean provisioned init CPU of the strategies deployed with it.
     *
     * @param meanInitCpuMs mean init CPU per deployed strategy that wrote HOSTCPU Init lines
     * @return empty when the strategy defers work and neither its counterpart's and its own figure nor its own is
     *         known
     */
    public static Optional<FirstInvocationCost> of(Strategy strategy, Map<Strategy, Double> meanInitCpuMs) {
        if (!strategy.defersInitWork()) {
            return Optional.of(new FirstInvocationCost(strategy, CapacityEstimate.WARM_CPU_MS_PER_REQUEST,
                    Basis.WARM_REQUEST));
        }
        Double own = meanInitCpuMs.get(strategy);
        if (own == null) {
            return Optional.empty();
        }
        Double counterpart = meanInitCpuMs.get(strategy.initCounterpart().orElseThrow());
        return Optional.of(counterpart == null
                ? new FirstInvocationCost(strategy, Math.max(CapacityEstimate.WARM_CPU_MS_PER_REQUEST,
                        OWN_INIT_FACTOR * own), Basis.OWN_INIT)
                : new FirstInvocationCost(strategy, Math.max(CapacityEstimate.WARM_CPU_MS_PER_REQUEST,
                        counterpart - own), Basis.COUNTERPART_INIT));
    }

    /** E.g. {@code lazy 612 ms (eager's init CPU beyond lazy's)}. */
    public String describe() {
        String counterpart = strategy.initCounterpart().map(Strategy::id).orElse("");
        return String.format(Locale.ROOT, "%s %.0f ms (%s)", strategy.id(), cpuMs, switch (basis) {
            case WARM_REQUEST -> "a warm request";
            case COUNTERPART_INIT -> counterpart + "'s init CPU beyond " + strategy.id() + "'s";
            case OWN_INIT -> String.format(Locale.ROOT, "%.0f× its own init CPU, a conservative proxy: %s is not"
                    + " deployed", OWN_INIT_FACTOR, counterpart);
        });
    }
}
