package dev.initbench.bench.run;

import dev.initbench.bench.config.Budgets;
import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.Strategy;
import dev.initbench.bench.report.Budget;
import dev.initbench.bench.report.BudgetVerdict;
import dev.initbench.bench.stats.EndpointSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Decides the run's verdicts from its summaries, for any selection of strategies: each {@link StrategyClaim} whose
 * two strategies are both selected (eager p99 below lazy p99, esm below cjs), the configured absolute budgets,
 * zero errors per endpoint, and the cold-start expectations for the steady phases and the burst. Pairs without a
 * claim (async-init against the others) get no verdict: the reports show them side by side. The same verdicts go
 * into the reports and are asserted by the end-to-end suite.
 */
public final class BudgetEvaluator {

    private BudgetEvaluator() {
    }

    /**
     * One strategy's figures.
     *
     * @param steady      its steady-phase summary
     * @param burst       its burst summary
     * @param steadyPeak  peak concurrency of its steady-phase requests
     * @param burstPeak   peak concurrency of its burst requests
     */
    public record StrategyFigures(EndpointSummary steady, EndpointSummary burst, int steadyPeak, int burstPeak) {
    }

    /** @param figures each selected strategy's figures, in report order */
    public static List<BudgetVerdict> evaluate(ScenarioSettings settings, Map<Strategy, StrategyFigures> figures) {
        List<BudgetVerdict> verdicts = new ArrayList<>();
        for (StrategyClaim claim : StrategyClaim.applicableTo(List.copyOf(figures.keySet()))) {
            double faster = figures.get(claim.faster()).steady().all().p99Ms();
            double slower = figures.get(claim.slower()).steady().all().p99Ms();
            verdicts.add(new BudgetVerdict(claim.budget(), claim.faster().id() + " < " + claim.slower().id(),
                    ms(faster) + " vs " + ms(slower), faster < slower));
        }
        Budgets budgets = settings.budgets();
        absolute(verdicts, figures, Strategy.EAGER, Budget.EAGER_P99, budgets.eagerP99Ms());
        absolute(verdicts, figures, Strategy.LAZY, Budget.LAZY_P99, budgets.lazyP99Ms());

        Map<Strategy, Long> errors = each(figures, f -> f.steady().errors() + f.burst().errors());
        verdicts.add(new BudgetVerdict(Budget.ERRORS, "<= " + budgets.maxErrors(), list(errors),
                errors.values().stream().allMatch(count -> count <= budgets.maxErrors())));

        int pc = settings.provisionedConcurrency();
        int steadyPeak = figures.values().stream().mapToInt(StrategyFigures::steadyPeak).max().orElse(0);
        long steadyColdStarts = figures.values().stream()
                .mapToLong(f -> f.steady().attribution().onDemandColdStarts()).sum();
        verdicts.add(new BudgetVerdict(Budget.NO_STEADY_COLD_STARTS, "0 with peak concurrency <= " + pc,
                steadyColdStarts + " (peak concurrency " + steadyPeak + ")",
                steadyPeak <= pc && steadyColdStarts == 0));

        Map<Strategy, Long> spillover = each(figures, f -> f.burst().attribution().onDemandColdStarts());
        Map<Strategy, Long> burstPeaks = each(figures, f -> (long) f.burstPeak());
        verdicts.add(new BudgetVerdict(Budget.BURST_SPILLOVER, "> 0 each with peak concurrency > " + pc,
                list(spillover) + " (peak concurrency " + list(burstPeaks) + ")",
                allMatch(burstPeaks, peak -> peak > pc) && allMatch(spillover, count -> count > 0)));
        return verdicts;
    }

    private static void absolute(List<BudgetVerdict> verdicts, Map<Strategy, StrategyFigures> figures,
                                 Strategy strategy, Budget which, OptionalDouble limit) {
        if (limit.isPresent() && figures.containsKey(strategy)) {
            double actual = figures.get(strategy).steady().all().p99Ms();
            verdicts.add(new BudgetVerdict(which, "<= " + ms(limit.getAsDouble()), ms(actual),
                    actual <= limit.getAsDouble()));
        }
    }

    private static Map<Strategy, Long> each(Map<Strategy, StrategyFigures> figures,
                                            Function<StrategyFigures, Long> value) {
        return figures.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> value.apply(e.getValue()),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private static boolean allMatch(Map<Strategy, Long> values, Predicate<Long> test) {
        return values.values().stream().allMatch(test);
    }

    /** {@code eager 1, lazy 0}, in report order. */
    private static String list(Map<Strategy, Long> values) {
        return values.entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f ms", value);
    }
}
