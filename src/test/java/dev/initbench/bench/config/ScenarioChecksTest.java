package dev.initbench.bench.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioChecksTest {

    /** The cases below are stated against a steady phase of 3/s for 60 s, whatever the defaults are. */
    private static final Map<String, String> STEADY_3_PER_SECOND_FOR_60_S = Map.of("arrivalRate", "3",
            "durationSeconds", "60");

    @ParameterizedTest(name = "PC {0} -> {1} extra")
    @CsvSource({"1, 2", "2, 2", "6, 2", "8, 2", "9, 3", "12, 3", "20, 5", "21, 6", "100, 25", "3000, 750"})
    void theBurstExceedsProvisionedConcurrencyByMaxOfTwoAndAQuarter(int pc, int extra) {
        assertThat(ScenarioChecks.defaultBurstExtraArrivals(pc)).isEqualTo(extra);
    }

    @ParameterizedTest(name = "{0}/s × {1} ms -> PC {2}")
    @CsvSource({"10, 1000, 15", "2, 1000, 3", "1.33, 1000, 2", "4, 500, 3", "0.5, 1000, 1"})
    void theLeastProvisionedConcurrencyOfASteadyPhaseIsLittlesLawWithHeadroom(double rate, long boundMs, int pc) {
        assertThat(ScenarioChecks.minimumProvisionedConcurrency(rate, Duration.ofMillis(boundMs)))
                .isEqualTo(pc);
    }

    @ParameterizedTest(name = "{0} on {1}: {2} burst arrivals")
    @CsvSource({
            "6, local, 8, 8",       // the default local scenario
            "8, local, 10, 10",     // issue #10: `run --provisioned-concurrency 8` must spill over
            "2, local, 4, 4",
            "20, aws, 25, 25",      // the default AWS scenario
            "40, aws, 50, 50",
    })
    void theBurstIsSizedFromProvisionedConcurrencyOnBothTargets(int pc, String target, long arrivals,
                                                               long durationMillis) {
        Map<String, String> overrides = new LinkedHashMap<>(Map.of("target", target,
                "provisionedConcurrency", String.valueOf(pc)));
        if (pc == 2) {
            overrides.put("arrivalRate", "1");
        }
        ScenarioSettings settings = ScenarioSettingsLoader.load(overrides);

        assertThat(settings.burst().arrivals()).isEqualTo(arrivals);
        assertThat(settings.burstExtraArrivals()).isEqualTo(arrivals - pc);
        assertThat(settings.burst().duration()).isEqualTo(Duration.ofMillis(durationMillis));
    }

    @Test
    void anExplicitExtraAndAnyRateGiveExactlyThatManyArrivals() {
        for (String rate : new String[]{"1000", "300", "7", "333.3", "2"}) {
            ScenarioSettings settings = ScenarioSettingsLoader.load(Map.of("burstExtraArrivals", "3",
                    "burstArrivalRate", rate, "burstHoldMs", "10000", "requestTimeoutSeconds", "60"));
            assertThat(settings.burst().arrivals()).as("at %s/s", rate).isEqualTo(9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // Little's law: 3/s × 1 s × 1.5 = 4.5 busy environments do not fit 2.
            "provisionedConcurrency=2|steady phase 'steady' does not fit provisioned concurrency: 3 arrivals/s ×"
                    + " 1000 ms per request (steadyLatencyBoundMs) keep 3 environments busy on average (Little's"
                    + " law), 4.5 with 1.5× headroom, more than provisionedConcurrency 2. Lower its arrivalRate to at"
                    + " most 1.33/s, or raise provisionedConcurrency to at least 5.",
            "arrivalRate=5|steady phase 'steady' does not fit provisioned concurrency: 5 arrivals/s × 1000 ms per"
                    + " request (steadyLatencyBoundMs) keep 5 environments busy on average (Little's law), 7.5 with"
                    + " 1.5× headroom, more than provisionedConcurrency 6. Lower its arrivalRate to at most 4/s, or"
                    + " raise provisionedConcurrency to at least 8.",
            "steadyLatencyBoundMs=2500|keep 7.5 environments busy on average (Little's law), 11.25 with 1.5×"
                    + " headroom, more than provisionedConcurrency 6. Lower its arrivalRate to at most 1.6/s, or"
                    + " raise provisionedConcurrency to at least 12.",
            "maxInFlight=4|maxInFlight 4 is below the 4.5 requests steady phase 'steady' may have open at once"
                    + " (3/s × 1000 ms × 1.5): raise maxInFlight to at least 5.",
            // 6 first invocations in 3/s × 200 s = 600 requests: 1 %, p99 would land on a warm request.
            "durationSeconds=200|the steady phases are too long for provisioned concurrency 6: its 6 first"
                    + " invocations would be 1 % of the 600 steady requests per endpoint, under the 2 % that puts the"
                    + " lazy function's p99 on one of them. Shorten the steady phases to at most 300 requests"
                    + " (arrivalRate × durationSeconds), or raise provisionedConcurrency to at least 12.",
            "burstArrivalRate=5|the burst's 8 arrivals (provisionedConcurrency 6 + burstExtraArrivals 2) at 5/s"
                    + " spread over 1400 ms, but each holds its environment only 1500 ms (burstHoldMs): they would"
                    + " not all overlap, so fewer than 8 environments might be busy at once. Raise burstArrivalRate"
                    + " to at least 9.34/s or burstHoldMs to at least 2800.",
            "burstHoldMs=0|each holds its environment only 0 ms (burstHoldMs)",
            "burstExtraArrivals=300|maxInFlight 256 is below the burst's 306 arrivals: they would wait in the load"
                    + " generator instead of overlapping at the functions. Raise maxInFlight to at least 306.",
            "requestTimeoutSeconds=2|burstHoldMs 1500 is more than half of requestTimeoutSeconds 2: a burst request"
                    + " that also waits for an on-demand cold start would time out. Raise requestTimeoutSeconds to"
                    + " at least 3 or lower burstHoldMs to at most 1000.",
            "burstExtraArrivals=0|setting 'burst.extraArrivals' is 0: allowed are 1 to 3000",
            "burstDurationSeconds=0.008|setting 'bench.burstDurationSeconds' is not accepted: the burst is sized from"
                    + " provisioned concurrency",
    })
    void combinationsThatWouldFailAnotherBudgetAreRefusedNamingTheSettingsAndWhatFits(String setting,
                                                                                   String message) {
        String[] keyValue = setting.split("=", 2);
        Map<String, String> overrides = new LinkedHashMap<>(STEADY_3_PER_SECOND_FOR_60_S);
        overrides.put(keyValue[0], keyValue[1]);

        assertThatThrownBy(() -> ScenarioSettingsLoader.load(overrides))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "what the refusal proposes fits: PC 5|provisionedConcurrency=5",
            "what the refusal proposes fits: 1.33/s|provisionedConcurrency=2,arrivalRate=1.33",
            "a lower latency bound fits more load|arrivalRate=5,steadyLatencyBoundMs=500",
            "the whole AWS range of the workflow's defaults|target=aws,provisionedConcurrency=20,arrivalRate=13",
            "a large PC and its burst|target=aws,provisionedConcurrency=400,arrivalRate=100,maxInFlight=1024",
    })
    void combinationsThatHoldTogetherAreAccepted(String description, String settings) {
        Map<String, String> overrides = new LinkedHashMap<>(STEADY_3_PER_SECOND_FOR_60_S);
        for (String pair : settings.split(",")) {
            String[] keyValue = pair.split("=", 2);
            overrides.put(keyValue[0], keyValue[1]);
        }
        ScenarioSettings loaded = ScenarioSettingsLoader.load(overrides);

        assertThat(loaded.burst().arrivals()).isGreaterThan(loaded.provisionedConcurrency());
    }

    @Test
    void aBurstDurationInAFileIsRefusedSayingHowTheBurstIsSized(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, "local:\n  burst: {name: b, arrivalRate: 1000, durationSeconds: 0.008, holdMs: 1500}\n");

        assertThatThrownBy(() -> ScenarioSettingsLoader.load(Map.of("config", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("'burst.durationSeconds' is not accepted: the burst is sized from provisioned"
                        + " concurrency: it has provisionedConcurrency + extraArrivals arrivals");
    }
}
