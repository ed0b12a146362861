package dev.initbench.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.config.Strategy;
import dev.initbench.bench.run.FirstInvocationCost.Basis;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FirstInvocationCostTest {

    @Test
    void aStrategyThatDefersNothingPaysAWarmRequest() {
        FirstInvocationCost eager = FirstInvocationCost.of(Strategy.EAGER, Map.of()).orElseThrow();

        assertThat(eager.basis()).isEqualTo(Basis.WARM_REQUEST);
        assertThat(eager.cpuMs()).isEqualTo(CapacityEstimate.WARM_CPU_MS_PER_REQUEST);
        assertThat(eager.describe()).isEqualTo("eager 10 ms (a warm request)");
    }

    @Test
    void aDeferringStrategyPaysWhatItsCounterpartDidAtInitBeyondItsOwnInit() {
        Map<Strategy, Double> init = Map.of(Strategy.EAGER, 1500.0, Strategy.LAZY, 800.0, Strategy.ASYNC_INIT, 1100.0);

        FirstInvocationCost lazy = FirstInvocationCost.of(Strategy.LAZY, init).orElseThrow();
        FirstInvocationCost asyncInit = FirstInvocationCost.of(Strategy.ASYNC_INIT, init).orElseThrow();

        assertThat(lazy.basis()).isEqualTo(Basis.COUNTERPART_INIT);
        assertThat(lazy.cpuMs()).isEqualTo(700.0);
        assertThat(lazy.describe()).isEqualTo("lazy 700 ms (eager's init CPU beyond lazy's)");
        assertThat(asyncInit.cpuMs()).isEqualTo(400.0);
    }

    @Test
    void neverBelowAWarmRequest() {
        // cjs's init may cost as much as esm's when the deferred work is small: noise must not price it at 0.
        FirstInvocationCost cjs = FirstInvocationCost.of(Strategy.CJS, Map.of(Strategy.ESM, 300.0, Strategy.CJS, 310.0))
                .orElseThrow();

        assertThat(cjs.cpuMs()).isEqualTo(CapacityEstimate.WARM_CPU_MS_PER_REQUEST);
    }

    @Test
    void withoutTheCounterpartItsOwnInitCpuIsTheProxyAndTheSentenceSaysSo() {
        FirstInvocationCost lazy = FirstInvocationCost.of(Strategy.LAZY, Map.of(Strategy.LAZY, 800.0)).orElseThrow();

        assertThat(lazy.basis()).isEqualTo(Basis.OWN_INIT);
        assertThat(lazy.cpuMs()).isEqualTo(1600.0);
        assertThat(lazy.describe()).isEqualTo("lazy 1600 ms (2× its own init CPU, a conservative proxy: eager is"
                + " not deployed)");
    }

    @Test
    void noFigureWithoutTheStrategysOwnInitLines() {
        assertThat(FirstInvocationCost.of(Strategy.LAZY, Map.of(Strategy.EAGER, 1500.0))).isEmpty();
        assertThat(FirstInvocationCost.of(Strategy.CJS, Map.of())).isEmpty();
    }
}
