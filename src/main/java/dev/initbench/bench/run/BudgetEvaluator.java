package dev.initbench.bench.run;

import dev.initbench.bench.config.Budgets;
import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.report.Budget;
import dev.initbench.bench.report.BudgetVerdict;
import dev.initbench.bench.stats.EndpointSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Decides the run's verdicts from its summaries: the relative claim (eager p99 below lazy p99), the configured
 * absolute budgets, zero errors, and the cold-start expectations for the steady phases and the burst. The same
 * verdicts go into the reports and are asserted by the end-to-end suite.
 */
public final class BudgetEvaluator {

    public static final String EAGER_P99 = "eager-init p99 (steady)";
    public static final String LAZY_P99 = "lazy-init p99 (steady)";

    private BudgetEvaluator() {
    }

    /**
     * @param eager      eager-init's steady summary
     * @param lazy       lazy-init's steady summary
     * @param eagerBurst eager-init's burst summary
     * @param lazyBurst  lazy-init's burst summary
     * @param peaks      peak concurrency per scope: steady eager, steady lazy, burst eager, burst lazy
     */
    public static List<BudgetVerdict> evaluate(ScenarioSettings settings, EndpointSummary eager, EndpointSummary lazy,
                                               EndpointSummary eagerBurst, EndpointSummary lazyBurst, int[] peaks) {
        List<BudgetVerdict> verdicts = new ArrayList<>();
        double eagerP99 = eager.all().p99Ms();
        double lazyP99 = lazy.all().p99Ms();
        verdicts.add(new BudgetVerdict(Budget.EAGER_BELOW_LAZY, "eager < lazy",
                ms(eagerP99) + " vs " + ms(lazyP99), eagerP99 < lazyP99));
        Budgets budgets = settings.budgets();
        absolute(verdicts, Budget.EAGER_P99, budgets.eagerP99Ms(), eagerP99);
        absolute(verdicts, Budget.LAZY_P99, budgets.lazyP99Ms(), lazyP99);
        long eagerErrors = eager.errors() + eagerBurst.errors();
        long lazyErrors = lazy.errors() + lazyBurst.errors();
        verdicts.add(new BudgetVerdict(Budget.ERRORS, "<= " + budgets.maxErrors(),
                "eager " + eagerErrors + ", lazy " + lazyErrors,
                eagerErrors <= budgets.maxErrors() && lazyErrors <= budgets.maxErrors()));

        int pc = settings.provisionedConcurrency();
        int steadyPeak = Math.max(peaks[0], peaks[1]);
        long steadyColdStarts = eager.attribution().onDemandColdStarts() + lazy.attribution().onDemandColdStarts();
        verdicts.add(new BudgetVerdict(Budget.NO_STEADY_COLD_STARTS, "0 with peak concurrency <= " + pc,
                steadyColdStarts + " (peak concurrency " + steadyPeak + ")",
                steadyPeak <= pc && steadyColdStarts == 0));
        int burstPeak = Math.min(peaks[2], peaks[3]);
        long eagerSpill = eagerBurst.attribution().onDemandColdStarts();
        long lazySpill = lazyBurst.attribution().onDemandColdStarts();
        verdicts.add(new BudgetVerdict(Budget.BURST_SPILLOVER, "> 0 each with peak concurrency > " + pc,
                "eager " + eagerSpill + ", lazy " + lazySpill + " (peak concurrency eager " + peaks[2] + ", lazy "
                        + peaks[3] + ")",
                burstPeak > pc && eagerSpill > 0 && lazySpill > 0));
        return verdicts;
    }

    private static void absolute(List<BudgetVerdict> verdicts, Budget which, OptionalDouble limit, double actual) {
        if (limit.isPresent()) {
            verdicts.add(new BudgetVerdict(which, "<= " + ms(limit.getAsDouble()), ms(actual),
                    actual <= limit.getAsDouble()));
        }
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f ms", value);
    }
}
