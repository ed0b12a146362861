package dev.initbench.bench.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapacityEstimateTest {

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
     * cores. Demand = Σ distinct × first CPU + 2 × r × 5 × 10 ms.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case                                   | PC | rate | lazy first ms | cores | demand ms | fits  | PC fit | rate fit
            "the seed on 2 cores: refused             | 20 | 10   | 2000          | 2     | 38106.8   | false | 1      | 0.5",
            "the seed on 16 cores fits                | 20 | 10   | 2000          | 16    | 38106.8   | true  | 20     | 10",
            "default local, cheap lazy first call     | 6  | 3    | 300           | 2     | 2039.3    | true  | 6      | 3",
            "one environment, fast arrivals           | 1  | 100  | 2000          | 2     | 12010.0   | false | 0      | 29.8"})
    void estimatesTheFirstSecondsAndWhatWouldFit(String name, int pc, double rate, double lazyFirstMs, int cores,
                                                 double demandMs, boolean fits, int pcThatFits, double rateThatFits) {
        CapacityEstimate estimate = new CapacityEstimate(pc, rate, List.of(10.0, lazyFirstMs), cores, 5);

        assertThat(estimate.demandCpuMs()).isCloseTo(demandMs, within(0.05));
        assertThat(estimate.capacityCpuMs()).isCloseTo(cores * 2500.0, within(1e-9));
        assertThat(estimate.fits()).isEqualTo(fits);
        assertThat(estimate.largestProvisionedConcurrencyThatFits()).isEqualTo(pcThatFits);
        assertThat(estimate.largestArrivalRateThatFits()).isCloseTo(rateThatFits, within(1e-9));
        assertThat(estimate.describe()).contains(cores + " cores").contains(fits ? "fits" : "would saturate the host");
    }

    @Test
    void aRefusalNamesTheEstimateTheCoresAndWhatWouldFit() {
        CapacityEstimate estimate = new CapacityEstimate(20, 10, List.of(10.0, 2000.0), 2, 5);

        assertThat(new CapacityRefusedException(estimate).getMessage())
                .contains("no request was sent").contains("38.1 CPU-s").contains("5.0 CPU-s of 2 cores")
                .contains("provisioned concurrency 1 at 10/s, or 0.5/s at provisioned concurrency 20")
                .contains("--allow-saturation");
    }
}
