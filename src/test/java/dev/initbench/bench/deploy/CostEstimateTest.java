package dev.initbench.bench.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.initbench.bench.config.ScenarioSettingsLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostEstimateTest {

    @Test
    void provisionedConcurrencyDominatesAndFollowsTheFormula() {
        CostEstimate estimate = new CostEstimate(2, 20, 1.0, held(Duration.ofMinutes(10)), 1200, 0.1);

        // 2 x 20 x 1 GB x 600 s x $0.0000041667
        assertThat(estimate.provisionedConcurrencyUsd()).isCloseTo(0.1000008, within(1e-6));
        assertThat(estimate.requestsUsd()).isCloseTo(1200 * 1.2e-6, within(1e-9));
        assertThat(estimate.totalUsd()).isGreaterThan(estimate.provisionedConcurrencyUsd());
        assertThat(estimate.describe()).contains("2 functions x 20 environments x 1.000 GB x 600 s");
    }

    @Test
    void provisionedTimeIsBilledInWholeFiveMinuteBlocks() {
        assertThat(new CostEstimate(1, 1, 1, held(Duration.ofSeconds(301)), 0, 0).billedProvisionedSeconds()).isEqualTo(600);
        assertThat(new CostEstimate(1, 1, 1, held(Duration.ofSeconds(300)), 0, 0).billedProvisionedSeconds()).isEqualTo(300);
    }

    private static ProvisionedTime held(Duration load) {
        return new ProvisionedTime(Duration.ZERO, load, Duration.ZERO, Duration.ZERO);
    }

    @Test
    void provisionedTimeIsAllocationLoadLogWaitAndDeletion() {
        ProvisionedTime estimate = ProvisionedTime.awsEstimate(ScenarioSettingsLoader.load(Map.of("target", "aws")));

        // 300 s allocation + 60.025 s load (the burst: 25 arrivals at 1000/s) + 120 s log wait + 180 s deletion
        // = 660.025 s: three 5-minute blocks.
        assertThat(estimate.total()).isEqualTo(Duration.ofMillis(660_025));
        assertThat(estimate.billedSeconds()).isEqualTo(900);
        assertThat(estimate.describe()).contains("allocation 300 s + load 60 s + log wait 120 s + deletion 180 s")
                .contains("billed as 900 s");
        assertThat(CostEstimate.of(ScenarioSettingsLoader.load(Map.of("target", "aws"))).provisionedConcurrencyUsd())
                .isCloseTo(2 * 20 * 1.0 * 900 * CostEstimate.PC_PER_GB_SECOND, within(1e-9));
    }

    @Test
    void theAwsDefaultsCountBothEndpointsAndAllPhases() {
        CostEstimate estimate = CostEstimate.of(ScenarioSettingsLoader.load(Map.of("target", "aws")));

        assertThat(estimate.requests()).isEqualTo(2 * (10 * 60 + 20 + 5)); // steady, then a burst of PC + 25 %
        assertThat(estimate.provisionedConcurrency()).isEqualTo(20);
    }
}
