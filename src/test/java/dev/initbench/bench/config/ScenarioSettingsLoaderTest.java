package dev.initbench.bench.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioSettingsLoaderTest {

    @Test
    void localIsTheDefaultTargetWithItsOwnDefaults() {
        ScenarioSettings local = ScenarioSettingsLoader.load(Map.of());
        ScenarioSettings aws = ScenarioSettingsLoader.load(Map.of("target", "aws"));

        assertThat(local.target()).isEqualTo(TargetKind.LOCAL);
        assertThat(aws.target()).isEqualTo(TargetKind.AWS);
        assertThat(aws.provisionedConcurrency()).isEqualTo(20);
        assertThat(aws.phases()).singleElement().satisfies(phase -> {
            assertThat(phase.arrivalRatePerSecond()).isEqualTo(10);
            assertThat(phase.duration()).isEqualTo(Duration.ofSeconds(60));
        });
        assertThat(local.provisionedConcurrency()).isLessThan(aws.provisionedConcurrency());
        assertThat(local.budgets().maxErrors()).isZero();
    }

    @Test
    void strategiesDefaultToTheJavaPairAndAnySubsetIsSelectedInTheGivenOrder(@TempDir Path dir) throws IOException {
        ScenarioSettings defaults = ScenarioSettingsLoader.load(Map.of());
        assertThat(defaults.strategies()).containsExactly(Strategy.EAGER, Strategy.LAZY);
        assertThat(defaults.nodeRuntime()).isEqualTo("nodejs22.x");
        assertThat(defaults.deploys(Strategy.Family.NODE)).isFalse();

        ScenarioSettings matrix = ScenarioSettingsLoader.load(Map.of("strategies", " cjs, esm,async-init ",
                "nodeRuntime", "nodejs24.x"));
        assertThat(matrix.strategies()).containsExactly(Strategy.CJS, Strategy.ESM, Strategy.ASYNC_INIT);
        assertThat(matrix.deploys(Strategy.Family.NODE)).isTrue();
        assertThat(matrix.nodeRuntime()).isEqualTo("nodejs24.x");

        Path file = Files.writeString(dir.resolve("scenario.yaml"), "local:\n  strategies: [esm, cjs]\n");
        assertThat(ScenarioSettingsLoader.load(Map.of("config", file.toString())).strategies())
                .containsExactly(Strategy.ESM, Strategy.CJS);
    }

    @Test
    void freezingIsOnByDefaultAndCanBeTurnedOffOnlyLocally() {
        assertThat(ScenarioSettingsLoader.load(Map.of()).freeze()).isTrue();
        assertThat(ScenarioSettingsLoader.load(Map.of("freeze", "false")).freeze()).isFalse();
        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("freeze", "no")))
                .hasMessageContaining("setting 'freeze' is 'no': allowed are true and false");
        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("target", "aws", "freeze", "false")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("local target only: AWS Lambda always freezes");
    }

    @Test
    void theLocalServiceLatencyModelHasAssumedDefaultsAndIsLocalOnly() {
        ScenarioSettings defaults = ScenarioSettingsLoader.load(Map.of());
        assertThat(defaults.serviceLatency()).isEqualTo(java.time.Duration.ofMillis(10));
        assertThat(defaults.connectionSetup()).isEqualTo(java.time.Duration.ofMillis(10));
        ScenarioSettings none = ScenarioSettingsLoader.load(Map.of("serviceLatencyMs", "0", "connectionSetupMs", "0"));
        assertThat(none.serviceLatency()).isZero();
        assertThat(none.connectionSetup()).isZero();
        assertThat(ScenarioSettingsLoader.load(Map.of("target", "aws")).serviceLatency()).isZero();
        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("serviceLatencyMs", "-1")))
                .hasMessageContaining("setting 'serviceLatencyMs' is -1: allowed are 0 to 10000");
        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("target", "aws", "connectionSetupMs", "5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("setting 'connectionSetupMs' is for the local target only");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "eager,sync   | unknown strategy 'sync': allowed are eager,lazy,async-init,esm,cjs",
            "eager,,lazy  | has an empty entry",
            "esm,esm      | names esm twice"})
    void badStrategiesAreRefusedNamingTheProblem(String strategies, String message) {
        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("strategies", strategies)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(message);
        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("nodeRuntime", "nodejs20.x")))
                .hasMessageContaining("nodeRuntime 'nodejs20.x' is not supported: allowed are [nodejs22.x, nodejs24.x]");
    }

    @Test
    void singleOverridesWinOverDefaults() {
        ScenarioSettings settings = ScenarioSettingsLoader.load(Map.of("provisionedConcurrency", "3",
                "arrivalRate", "1.5", "durationSeconds", "7", "burstArrivalRate", "9", "budget.lazyP99Ms", "1234",
                "bucket", "my-bucket"));

        assertThat(settings.provisionedConcurrency()).isEqualTo(3);
        assertThat(settings.phases().get(0).arrivalRatePerSecond()).isEqualTo(1.5);
        assertThat(settings.phases().get(0).duration()).isEqualTo(Duration.ofSeconds(7));
        assertThat(settings.burst().arrivalRatePerSecond()).isEqualTo(9);
        assertThat(settings.budgets().lazyP99Ms()).hasValue(1234);
        assertThat(settings.bucket()).hasValue("my-bucket");
    }

    @Test
    void aConfigFileOverridesTheSectionOfItsTarget(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, "local:\n  phases:\n    - {name: a, arrivalRate: 1, durationSeconds: 2}\n"
                + "    - {name: b, arrivalRate: 3, durationSeconds: 4}\n  budgets: {eagerP99Ms: 55}\n");

        ScenarioSettings settings = ScenarioSettingsLoader.load(Map.of("config", file.toString()));

        assertThat(settings.phases()).extracting(LoadPhase::name).containsExactly("a", "b");
        assertThat(settings.allPhases()).hasSize(3);
        assertThat(settings.budgets().eagerP99Ms()).hasValue(55);
        assertThat(settings.budgets().lazyP99Ms()).isEmpty();
    }

    @Test
    void systemPropertiesArePickedByPrefix() {
        Properties properties = new Properties();
        properties.setProperty("bench.maxInFlight", "9");
        properties.setProperty("unrelated.key", "x");

        assertThat(ScenarioSettingsLoader.overridesFrom(properties)).containsExactly(Map.entry("maxInFlight", "9"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "target|gcp|unknown target 'gcp': allowed values are local, aws",
            "provisionedConcurrency|many|setting 'provisionedConcurrency' is 'many': it must be a number from 1 to 3000",
            "provisionedConcurrency|0|setting 'provisionedConcurrency' is 0: allowed are 1 to 3000",
            "runtime|java17|runtime 'java17' is not supported: allowed are [java21, java25]",
            "arrivalRate|-1|setting 'phases[0].arrivalRate' is -1: allowed are 0.01 to 10000",
            "budget.eagerP99Ms|fast|setting 'budgets.eagerP99Ms' is 'fast'",
            "provisionedConcurency|3|unknown setting 'bench.provisionedConcurency': allowed are",
            "config|/no/such/file.yaml|scenario file /no/such/file.yaml does not exist",
            "validity.capacityCpuShare|0|setting 'validity.capacityCpuShare' is 0: allowed are 0.001 to 1",
    })
    void badValuesAreRefusedNamingTheKeyAndWhatIsAllowed(String key, String value, String message) {
        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theCapacityCpuShareDefaultsToHalfTheCores() {
        assertThat(ScenarioSettingsLoader.load(Map.of()).saturation().capacityCpuShare()).isEqualTo(0.7);
        assertThat(ScenarioSettingsLoader.load(Map.of("validity.capacityCpuShare", "0.8")).saturation()
                .capacityCpuShare()).isEqualTo(0.8);
    }

    @Test
    void unknownKeysInAFileAreRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "local:\n  provisionedConcurrency: 2\n  warmup: true\n");

        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("config", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'local.warmup'");
    }

    @Test
    void malformedYamlIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "local: [unclosed\n");

        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("config", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken.yaml is not valid YAML");
    }
}
