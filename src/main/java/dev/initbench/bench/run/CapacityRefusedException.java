package dev.initbench.bench.run;

/** A local scenario refused before its first request: it would saturate the host (see {@link CapacityEstimate}). */
public final class CapacityRefusedException extends RuntimeException {

    private final transient CapacityEstimate estimate;

    public CapacityRefusedException(CapacityEstimate estimate) {
        super("refused before the first request, no request was sent: " + estimate.describe()
                + ". Lower --provisioned-concurrency or --arrival-rate, or pass --allow-saturation"
                + " (bench.allowSaturation=true) to run it anyway (its result will likely be invalid: host saturated)");
        this.estimate = estimate;
    }

    public CapacityEstimate estimate() {
        return estimate;
    }
}
