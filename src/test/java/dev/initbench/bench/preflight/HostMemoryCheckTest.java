package dev.initbench.bench.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.ScenarioSettingsLoader;
import dev.initbench.bench.config.Strategy;
import dev.initbench.localcloud.lambda.EnvironmentFootprint;
import dev.initbench.localcloud.lambda.LambdaSettings;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HostMemoryCheckTest {

    /** The seed's scale: 2 Java functions × (20 provisioned + 5 burst extras) = 50 environments × 150 MB. */
    private static final ScenarioSettings SEED = ScenarioSettingsLoader.load(Map.of("provisionedConcurrency", "20",
            "arrivalRate", "10", "durationSeconds", "60"));

    @Test
    void passesWhenTheEnvironmentsFitWithTheNumbers() {
        PreflightCheck check = HostMemoryCheck.check(SEED, OptionalLong.of(22_000));

        assertThat(check.status()).isEqualTo(CheckStatus.PASS);
        assertThat(check.detail()).contains("50 environments at the burst's peak (2 functions × (20 provisioned + 5"
                + " burst extras)) need about 7.3 GB").contains("21.5 GB available");
    }

    @Test
    void refusesNamingTheNumbersAndTheProvisionedConcurrencyThatFits() {
        // 4,000 MB − 1,024 reserved = 2,976 MB: 2 × 150 MB per environment pair → 9 pairs, minus the 5 extras.
        PreflightCheck check = HostMemoryCheck.check(SEED, OptionalLong.of(4_000));

        assertThat(check.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(check.detail()).contains("only 3.9 GB available").contains("8.3 GB needed");
        assertThat(check.fix().orElseThrow()).contains("lower --provisioned-concurrency to 4 or less");
    }

    @Test
    void countsNodeEnvironmentsAtTheirOwnSize() {
        ScenarioSettings node = ScenarioSettingsLoader.load(Map.of("strategies", "esm,cjs"));

        // PC 6 + 2 extras = 8 per function, 2 × 8 × 80 MB = 1,280 MB + 1,024 MB reserved.
        assertThat(HostMemoryCheck.check(node, OptionalLong.of(2_304)).status()).isEqualTo(CheckStatus.PASS);
        assertThat(HostMemoryCheck.check(node, OptionalLong.of(2_303)).status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void usesTheLocalCloudsFiguresSoWhatPassesIsWhatItsGuardAdmits() {
        assertThat(HostMemoryCheck.footprint(Strategy.Family.JAVA)).isEqualTo(EnvironmentFootprint.JAVA);
        assertThat(HostMemoryCheck.footprint(Strategy.Family.NODE)).isEqualTo(EnvironmentFootprint.NODE);
        assertThat(HostMemoryCheck.RESERVED_MB).isEqualTo(LambdaSettings.defaults().hostMemoryFloorMb());
    }

    @Test
    void warnsWhenTheHostDoesNotSay() {
        PreflightCheck check = HostMemoryCheck.check(SEED, OptionalLong.empty());

        assertThat(check.status()).isEqualTo(CheckStatus.WARN);
        assertThat(check.detail()).contains("not checked");
    }
}
