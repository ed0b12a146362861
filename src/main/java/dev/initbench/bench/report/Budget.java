package dev.initbench.bench.report;

/**
 * What a run is judged against: the identity of a {@link BudgetVerdict}. Code compares these; the display name is
 * only what reports show.
 */
public enum Budget {
    EAGER_BELOW_LAZY("eager-init p99 below lazy-init p99 (steady)"),
    ESM_BELOW_CJS("esm p99 below cjs p99 (steady)"),
    EAGER_P99("eager-init p99 (steady)"),
    LAZY_P99("lazy-init p99 (steady)"),
    ERRORS("non-2xx requests per endpoint (all phases)"),
    NO_STEADY_COLD_STARTS("on-demand cold starts while provisioned concurrency covers the load (steady)"),
    BURST_SPILLOVER("spillover cold starts when the burst exceeds provisioned concurrency");

    private final String displayName;

    Budget(String displayName) {
        this.displayName = displayName;
    }

    /** The text reports show for this budget. */
    public String displayName() {
        return displayName;
    }
}
