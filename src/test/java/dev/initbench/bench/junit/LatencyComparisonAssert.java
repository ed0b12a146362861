package dev.initbench.bench.junit;

import dev.initbench.bench.report.Budget;
import dev.initbench.bench.report.BudgetVerdict;
import dev.initbench.bench.report.ReportText;
import dev.initbench.bench.report.Validity;
import dev.initbench.bench.run.BenchmarkResult;
import dev.initbench.bench.run.BenchmarkSession;
import dev.initbench.bench.stats.LatencyPercentiles;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a benchmark's latency summaries. Every failure message carries the run's whole comparison
 * table and budget verdicts, so a red build shows the numbers, not just the one that broke.
 */
public final class LatencyComparisonAssert extends AbstractAssert<LatencyComparisonAssert, BenchmarkResult> {

    private LatencyComparisonAssert(BenchmarkResult actual) {
        super(actual, LatencyComparisonAssert.class);
    }

    public static LatencyComparisonAssert assertThat(BenchmarkResult actual) {
        return new LatencyComparisonAssert(actual);
    }

    /**
     * The run's numbers are the functions': its compared requests did not spend more than the allowed share of their
     * latency waiting for a CPU of this host. Every latency assertion checks this first, so an invalid run fails as
     * the host's doing, with the figures, never as a function's.
     */
    public LatencyComparisonAssert isValid() {
        isNotNull();
        Validity validity = actual.report().validity();
        if (validity != null && !validity.valid()) {
            failWithMessage("the host, not the function, made these numbers: %s%n%s", validity.summary(), table());
        }
        return this;
    }

    /** Eager-init's steady-phase p99 is strictly below lazy-init's. */
    public LatencyComparisonAssert hasEagerP99BelowLazyP99() {
        isValid();
        LatencyPercentiles eager = actual.steady(BenchmarkSession.EAGER).all();
        LatencyPercentiles lazy = actual.steady(BenchmarkSession.LAZY).all();
        if (!(eager.p99Ms() < lazy.p99Ms())) {
            failWithMessage("expected eager-init p99 (%.1f ms) below lazy-init p99 (%.1f ms) in the steady phase%n%s",
                    eager.p99Ms(), lazy.p99Ms(), table());
        }
        return this;
    }

    /** The budget's verdict exists and passed. */
    public LatencyComparisonAssert passes(Budget budget) {
        isValid();
        BudgetVerdict verdict = actual.report().budgets().stream().filter(v -> v.budget() == budget).findFirst()
                .orElse(null);
        if (verdict == null) {
            failWithMessage("no budget '%s' in this run%n%s", budget.displayName(), table());
        } else if (!verdict.passed()) {
            failWithMessage("budget '%s' failed: expected %s, was %s%n%s", budget.displayName(), verdict.expected(),
                    verdict.actual(), table());
        }
        return this;
    }

    private String table() {
        return ReportText.console(actual.report());
    }
}
