package dev.initbench.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.initbench.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run the host's memory throttled: invalid in every rendering, its figures kept in report.json. */
class HostMemoryVerdictTest {

    static RunReport throttledRun() {
        Validity validity = Validity.judge(Map.of(), 0.25,
                List.of(new Validity.HostMemoryRefusals("eager", 37, 0, 40, 1100, 150, 1024)));
        RunSettings settings = new RunSettings(6, List.of(new RunSettings.PhaseSettings("steady", 2, 90),
                new RunSettings.PhaseSettings("scale-out", 1000, 0.008)), 30_000, 1024, Map.of());
        List<BudgetVerdict> budgets = List.of(new BudgetVerdict(Budget.EAGER_BELOW_LAZY, "eager < lazy",
                "2.0 ms vs 3.0 ms", true));
        return new RunReport(RunReport.SCHEMA_VERSION, "20261201-180000-abcd", "local", settings,
                "2026-12-01T18:00:00Z", "2026-12-01T18:01:00Z", List.of(), budgets, validity, null, null);
    }

    @Test
    void reportJsonKeepsTheTypedRefusalsAndReadsThemBack() throws Exception {
        RunReport report = throttledRun();

        String json = ReportJson.toJson(report);
        Validity read = Json.READER.without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .treeToValue(Json.READER.readTree(json).get("validity"), Validity.class);

        assertThat(json).contains("\"status\" : \"INVALID_HOST_MEMORY\"").contains("\"throttledInvocations\" : 37")
                .contains("\"valid\" : false").contains("\"passed\" : false");
        assertThat(read).isEqualTo(report.validity());
    }

    @Test
    void theSummaryAndTheConsoleSayTheHostsMemoryMadeTheRunInvalid() {
        RunReport report = throttledRun();

        assertThat(ReportText.markdown(report)).startsWith("## lambda-init-bench ⚠️ INVALID: host memory exhausted")
                .contains("37 invocation(s) throttled by this host's memory")
                .contains("### Budgets (not judged: the host's memory was exhausted)");
        assertThat(ReportText.console(report, 100)).contains("INVALID: host memory exhausted")
                .contains("budgets (not judged: the host's memory was exhausted)").contains("not judged  eager");
    }
}
