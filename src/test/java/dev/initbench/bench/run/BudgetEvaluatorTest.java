package dev.initbench.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.ScenarioSettingsLoader;
import dev.initbench.bench.config.Strategy;
import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.load.RequestRecord;
import dev.initbench.bench.report.Budget;
import dev.initbench.bench.report.BudgetVerdict;
import dev.initbench.bench.stats.EndpointRecorder;
import dev.initbench.bench.stats.EndpointSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BudgetEvaluatorTest {

    private static final ScenarioSettings SETTINGS = ScenarioSettingsLoader.load(Map.of(
            "provisionedConcurrency", "2", "arrivalRate", "1", "budget.eagerP99Ms", "100", "budget.lazyP99Ms", "50"));

    @Test
    void aFastEagerAndASlowLazyPassTheRelativeClaimWhileTheAbsoluteBudgetsAreJudgedEachOnItsOwn() {
        Map<Budget, BudgetVerdict> verdicts = evaluate(
                summary("eager", 10, "provisioned-concurrency", 0),
                summary("lazy", 400, "provisioned-concurrency", 0),
                summary("eager.burst", 10, "on-demand", 0),
                summary("lazy.burst", 10, "on-demand", 0),
                new int[] {1, 2, 3, 3});

        assertThat(verdicts.get(Budget.EAGER_BELOW_LAZY).passed()).isTrue();
        assertThat(verdicts.get(Budget.EAGER_P99).passed()).isTrue();
        assertThat(verdicts.get(Budget.LAZY_P99).passed()).isFalse();
        assertThat(verdicts.get(Budget.LAZY_P99).actual()).startsWith("400.").endsWith(" ms");
        assertThat(verdicts.get(Budget.ERRORS).passed()).isTrue();
        assertThat(verdicts.get(Budget.NO_STEADY_COLD_STARTS).passed()).isTrue();
        assertThat(verdicts.get(Budget.BURST_SPILLOVER).passed()).isTrue();
    }

    @Test
    void eachSelectedPairWithAClaimIsJudgedAndAsyncInitIsShownWithoutAnOrder() {
        Map<Strategy, BudgetEvaluator.StrategyFigures> figures = new LinkedHashMap<>();
        figures.put(Strategy.EAGER, figures("eager", 10, 0));
        figures.put(Strategy.ASYNC_INIT, figures("async-init", 5, 0));
        figures.put(Strategy.ESM, figures("esm", 300, 0));
        figures.put(Strategy.CJS, figures("cjs", 200, 2));
        Map<Budget, BudgetVerdict> verdicts = byName(BudgetEvaluator.evaluate(SETTINGS, figures));

        assertThat(verdicts).doesNotContainKey(Budget.EAGER_BELOW_LAZY).doesNotContainKey(Budget.LAZY_P99)
                .containsKey(Budget.EAGER_P99);
        assertThat(verdicts.values()).noneMatch(verdict -> verdict.displayName().contains("async-init"));
        BudgetVerdict esmBelowCjs = verdicts.get(Budget.ESM_BELOW_CJS);
        assertThat(esmBelowCjs.displayName()).isEqualTo("esm p99 below cjs p99 (steady)");
        assertThat(esmBelowCjs.passed()).isFalse();
        assertThat(esmBelowCjs.actual()).matches("300\\.\\d ms vs 200\\.\\d ms");
        assertThat(verdicts.get(Budget.ERRORS).actual()).isEqualTo("eager 0, async-init 0, esm 0, cjs 2");
        assertThat(verdicts.get(Budget.ERRORS).passed()).isFalse();
        assertThat(verdicts.get(Budget.BURST_SPILLOVER).actual())
                .isEqualTo("eager 1, async-init 1, esm 1, cjs 1 (peak concurrency eager 3, async-init 3, esm 3, cjs 3)");
    }

    private static BudgetEvaluator.StrategyFigures figures(String endpoint, long latencyMs, int errors) {
        return new BudgetEvaluator.StrategyFigures(summary(endpoint, latencyMs, "provisioned-concurrency", errors),
                summary(endpoint + ".burst", latencyMs, "on-demand", 0), 1, 3);
    }

    @Test
    void coldStartsInTheSteadyPhaseOrAPeakAboveProvisionedConcurrencyFail() {
        Map<Budget, BudgetVerdict> coldStart = evaluate(
                summary("eager", 10, "on-demand", 0), summary("lazy", 400, "provisioned-concurrency", 0),
                summary("eager.burst", 10, "on-demand", 0), summary("lazy.burst", 10, "on-demand", 0),
                new int[] {1, 1, 3, 3});
        Map<Budget, BudgetVerdict> tooBusy = evaluate(
                summary("eager", 10, "provisioned-concurrency", 0), summary("lazy", 400, "provisioned-concurrency", 0),
                summary("eager.burst", 10, "on-demand", 0), summary("lazy.burst", 10, "on-demand", 0),
                new int[] {3, 1, 3, 3});

        assertThat(coldStart.get(Budget.NO_STEADY_COLD_STARTS).passed()).isFalse();
        assertThat(tooBusy.get(Budget.NO_STEADY_COLD_STARTS).passed()).isFalse();
        assertThat(tooBusy.get(Budget.NO_STEADY_COLD_STARTS).actual()).contains("peak concurrency 3");
    }

    @Test
    void aBurstWithoutSpilloverOrWithinProvisionedConcurrencyAndErrorsFail() {
        Map<Budget, BudgetVerdict> verdicts = evaluate(
                summary("eager", 500, "provisioned-concurrency", 1), summary("lazy", 400, "provisioned-concurrency", 0),
                summary("eager.burst", 10, "provisioned-concurrency", 0), summary("lazy.burst", 10, "on-demand", 0),
                new int[] {1, 1, 2, 3});

        assertThat(verdicts.get(Budget.EAGER_BELOW_LAZY).passed()).isFalse();
        assertThat(verdicts.get(Budget.ERRORS).passed()).isFalse();
        assertThat(verdicts.get(Budget.ERRORS).actual()).isEqualTo("eager 1, lazy 0");
        assertThat(verdicts.get(Budget.BURST_SPILLOVER).passed()).isFalse();
    }

    private static Map<Budget, BudgetVerdict> evaluate(EndpointSummary eager, EndpointSummary lazy,
                                                       EndpointSummary eagerBurst, EndpointSummary lazyBurst,
                                                       int[] peaks) {
        Map<Strategy, BudgetEvaluator.StrategyFigures> figures = new LinkedHashMap<>();
        figures.put(Strategy.EAGER, new BudgetEvaluator.StrategyFigures(eager, eagerBurst, peaks[0], peaks[2]));
        figures.put(Strategy.LAZY, new BudgetEvaluator.StrategyFigures(lazy, lazyBurst, peaks[1], peaks[3]));
        return byName(BudgetEvaluator.evaluate(SETTINGS, figures));
    }

    private static Map<Budget, BudgetVerdict> byName(List<BudgetVerdict> verdicts) {
        return verdicts.stream().collect(Collectors.toMap(BudgetVerdict::budget, Function.identity()));
    }

    /** 20 successes of {@code latencyMs} from one environment of the given init type, plus {@code errors} 500s. */
    private static EndpointSummary summary(String endpoint, long latencyMs, String initType, int errors) {
        EndpointRecorder recorder = new EndpointRecorder(endpoint);
        for (int i = 0; i < 20; i++) {
            String body = "{\"function\":\"f\",\"value\":\"v\",\"initializationType\":\"" + initType + "\","
                    + "\"environmentId\":\"env-1\",\"awsRequestId\":\"r" + i + "\",\"invocation\":" + (i + 1)
                    + ",\"firstInvocation\":" + (i == 0) + ",\"setupInThisInvocationMs\":0,\"initDurationMs\":1}";
            recorder.record(new RequestRecord(endpoint, "p", i, 0, 0, latencyMs * 1_000_000, Outcome.SUCCESS, 200,
                    body, ""));
        }
        for (int i = 0; i < errors; i++) {
            recorder.record(new RequestRecord(endpoint, "p", 100 + i, 0, 0, 1_000_000, Outcome.HTTP_ERROR, 500, "", ""));
        }
        return recorder.summary();
    }
}
