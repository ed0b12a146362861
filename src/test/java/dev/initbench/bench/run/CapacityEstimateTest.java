package dev.initbench.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.initbench.bench.config.SaturationSettings;
import dev.initbench.bench.config.Strategy;
import dev.initbench.bench.run.FirstInvocationCost.Basis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityEstimateTest {

    private static final FirstInvocationCost EAGER_WARM = new FirstInvocationCost(Strategy.EAGER, 10,
            Basis.WARM_REQUEST);

    private static List<FirstInvocationCost> eagerAndLazy(double lazyFirstMs) {
        return List.of(EAGER_WARM, new FirstInvocationCost(Strategy.LAZY, lazyFirstMs, Basis.COUNTERPART_INIT));
    }

    @Test
    void distinctEnvironmentsReachedAtRandomFollowTheOccupancyFormula() {
        assertThat(CapacityEstimate.distinctEnvironments(20, 50)).isCloseTo(20 * (1 - Math.pow(0.95, 50)), within(1e-9));
        assertThat(CapacityEstimate.distinctEnvironments(1, 3)).isCloseTo(1, within(1e-9));
        assertThat(CapacityEstimate.distinctEnvironments(6, 0)).isZero();
        // Many environments, few arrivals: nearly every arrival reaches a new one.
        assertThat(CapacityEstimate.distinctEnvironments(1000, 5)).isCloseTo(5, within(0.02));
    }

    /**
     * Two endpoints: eager's first invocation a warm request (10 ms), lazy's the given CPU; 5 s window, 50 % of the
     * cores. Demand = Σ distinct × first CPU + 2 × r × 5 × 10 ms. The least PC of the steady phase is given.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                                   | PC | min PC | rate | lazy first ms | cores | demand ms | fits  | PC fit | rate fit
            "the seed on 2 cores: refused             | 20 | 15     | 10   | 2000          | 2     | 38106.8   | false | 0      | 0.5",
            "the seed on 16 cores fits                | 20 | 15     | 10   | 2000          | 16    | 38106.8   | true  | 20     | 10",
            "default local, cheap lazy first call     | 6  | 3      | 3    | 300           | 2     | 2039.3    | true  | 6      | 3",
            "a smaller PC fits at the same rate       | 12 | 3      | 2    | 800           | 2     | 5848.3    | false | 8      | 1.5",
            "one environment, fast arrivals           | 1  | 0      | 100  | 2000          | 2     | 12010.0   | false | 0      | 29.8"})
    void estimatesTheFirstSecondsAndWhatWouldFit(String name, int pc, int minimumPc, double rate, double lazyFirstMs,
                                                 int cores, double demandMs, boolean fits, int pcThatFits,
                                                 double rateThatFits) {
        CapacityEstimate estimate = new CapacityEstimate(pc, minimumPc, rate, eagerAndLazy(lazyFirstMs), cores, 5, 0.5);

        assertThat(estimate.demandCpuMs()).isCloseTo(demandMs, within(0.05));
        assertThat(estimate.capacityCpuMs()).isCloseTo(cores * 2500.0, within(1e-9));
        assertThat(estimate.fits()).isEqualTo(fits);
        assertThat(estimate.largestProvisionedConcurrencyThatFits()).isEqualTo(pcThatFits);
        assertThat(estimate.largestArrivalRateThatFits()).isCloseTo(rateThatFits, within(1e-9));
        assertThat(estimate.firstInvocationCpuMs()).containsExactly(10.0, lazyFirstMs);
        assertThat(estimate.describe()).contains(cores + " cores").contains(fits ? "fits" : "would saturate the host");
    }

    /**
     * The default window and share against the runs they were calibrated on (quiet host, `taskset -c 0` or
     * `-c 0,1`, `run --provisioned-concurrency PC --arrival-rate R --allow-saturation`, 2026-12-01): each run's own
     * lazy first-invocation proxy, and whether its validity verdict came out valid. A change of the defaults that
     * misjudges one of them fails here.
     */
    @ParameterizedTest(name = "{0} cores, PC {1} at {2}/s: valid {4}")
    @CsvSource({
            "2, 8, 2, 614, true", "2, 12, 2, 726, true", "2, 16, 2, 648, true", "2, 20, 2, 687, true",
            "2, 6, 3, 712, false", "2, 8, 3, 802, false",
            "1, 3, 1, 817, false", "1, 6, 1, 759, false", "1, 4, 2, 903, false", "1, 6, 2, 653, false",
            "1, 3, 0.5, 865, false"})
    void theDefaultsJudgeTheMeasuredRunsAsTheyCameOut(int cores, int pc, double rate, double lazyFirstMs,
                                                      boolean ranValid) {
        CapacityEstimate estimate = new CapacityEstimate(pc, 0, rate, eagerAndLazy(lazyFirstMs), cores,
                CapacityEstimate.DEFAULT_WINDOW_SECONDS, SaturationSettings.DEFAULT_CAPACITY_CPU_SHARE);

        assertThat(estimate.fits()).isEqualTo(ranValid);
    }

    @Test
    void oneCoreFitsNothingAndSaysWhy() {
        CapacityEstimate estimate = new CapacityEstimate(3, 0, 0.5, eagerAndLazy(100), 1, 2, 0.7);

        assertThat(estimate.demandCpuMs()).isLessThan(estimate.capacityCpuMs());
        assertThat(estimate.fits()).isFalse();
        assertThat(estimate.largestProvisionedConcurrencyThatFits()).isZero();
        assertThat(estimate.largestArrivalRateThatFits()).isZero();
        assertThat(estimate.describe()).contains("no scenario fits 1 core").contains("at least 2 cores");
    }

    @Test
    void theCpuShareScalesTheCapacity() {
        CapacityEstimate strict = new CapacityEstimate(6, 3, 2, eagerAndLazy(600), 2, 5, 0.01);

        assertThat(strict.capacityCpuMs()).isCloseTo(100, within(1e-9));
        assertThat(strict.fits()).isFalse();
        // The warm requests alone (2 endpoints × 10 arrivals × 10 ms) exceed it: nothing at this rate fits.
        assertThat(strict.largestProvisionedConcurrencyThatFits()).isZero();
        assertThat(strict.describe()).contains("at 1 %")
                .contains("no provisioned concurrency at 2/s (the host takes at most 0, the steady phase needs at least 3)");
    }

    @Test
    void aRefusalNamesTheEstimateTheCoresAndWhatWouldFit() {
        CapacityEstimate estimate = new CapacityEstimate(20, 15, 10, eagerAndLazy(2000), 2, 5, 0.5);

        assertThat(new CapacityRefusedException(estimate, Map.of("f-eager", 0, "f-lazy", 0)).getMessage())
                .contains("no request was sent (the functions' log groups hold no START line)").contains("38.1 CPU-s").contains("5.0 CPU-s of 2 cores")
                .contains("eager 10 ms (a warm request), lazy 2000 ms (eager's init CPU beyond lazy's)")
                .contains("no provisioned concurrency at 10/s (the host takes at most 1, the steady phase needs at"
                        + " least 15), or 0.5/s at provisioned concurrency 20")
                .contains("--allow-saturation");
    }

    @Test
    void aRefusalAfterAnInvocationSaysSoInsteadOfClaimingNoneWasSent() {
        CapacityEstimate estimate = new CapacityEstimate(20, 15, 10, eagerAndLazy(2000), 2, 5, 0.5);

        assertThat(new CapacityRefusedException(estimate, Map.of("f-lazy", 1)).getMessage())
                .doesNotContain("no request was sent").contains("1 invocations reached the functions before the load")
                .contains("f-lazy 1");
    }

    @Test
    void anyStrategiesGetAnEstimate() {
        List<FirstInvocationCost> esmCjs = List.of(new FirstInvocationCost(Strategy.ESM, 10, Basis.WARM_REQUEST),
                new FirstInvocationCost(Strategy.CJS, 40, Basis.COUNTERPART_INIT));
        CapacityEstimate estimate = new CapacityEstimate(6, 3, 2, esmCjs, 2, 5, 0.5);

        // 2 endpoints × 10 arrivals × 10 ms + distinct(6, 10) × (10 + 40) ms.
        assertThat(estimate.demandCpuMs()).isCloseTo(200 + CapacityEstimate.distinctEnvironments(6, 10) * 50,
                within(1e-9));
        assertThat(estimate.describe()).contains("2 endpoints").contains("esm 10 ms (a warm request), cjs 40 ms");
    }

    @Test
    void refusesMeaninglessInputs() {
        assertThatThrownBy(() -> new CapacityEstimate(6, 3, 2, List.of(), 2, 5, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one endpoint");
        assertThatThrownBy(() -> new CapacityEstimate(6, 3, 2, eagerAndLazy(1), 2, 5, 1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CPU share in (0, 1]");
    }
}
