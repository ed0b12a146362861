package dev.initbench.bench.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StrategyTest {

    @Test
    void deferringStrategiesNameTheCounterpartThatDoesTheirWorkAtInit() {
        assertThat(Strategy.LAZY.initCounterpart()).hasValue(Strategy.EAGER);
        assertThat(Strategy.ASYNC_INIT.initCounterpart()).hasValue(Strategy.EAGER);
        assertThat(Strategy.CJS.initCounterpart()).hasValue(Strategy.ESM);
        assertThat(Strategy.EAGER.initCounterpart()).isEmpty();
        assertThat(Strategy.ESM.initCounterpart()).isEmpty();
        for (Strategy strategy : Strategy.values()) {
            assertThat(strategy.defersInitWork()).isEqualTo(strategy.initCounterpart().isPresent());
            // A counterpart runs on the same runtime and defers nothing itself.
            strategy.initCounterpart().ifPresent(counterpart -> {
                assertThat(counterpart.family()).isEqualTo(strategy.family());
                assertThat(counterpart.defersInitWork()).isFalse();
            });
        }
    }
}
