package dev.initbench.bench.compare;

import static dev.initbench.bench.compare.CraftedReports.latencies;
import static dev.initbench.bench.compare.CraftedReports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.bench.compare.PercentileComparison.Verdict;
import dev.initbench.bench.report.ReportJson;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.report.RunSettings;
import dev.initbench.bench.stats.HostLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportComparatorTest {

    private final ReportComparator comparator = ReportComparator.builder().build();

    @Test
    void aRealRegressionIsReportedWithExitCode1() {
        RunReport baseline = report(Map.of("eager", latencies(1, 1200, 1.0), "lazy", latencies(2, 1200, 1.0)));
        RunReport current = report(Map.of("eager", latencies(3, 1200, 1.0), "lazy", latencies(4, 1200, 1.5)));

        ComparisonResult result = comparator.compare(baseline, current);

        assertThat(result.status()).isEqualTo(ComparisonResult.Status.REGRESSION);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.regressions()).extracting(PercentileComparison::endpoint).containsOnly("lazy");
        assertThat(result.regressions()).extracting(PercentileComparison::percentile).contains("p50", "p90", "p99");
        PercentileComparison p50 = result.regressions().get(0);
        assertThat(p50.ciLowMs()).isGreaterThan(p50.thresholdMs());
        assertThat(result.comparisons()).filteredOn(c -> c.endpoint().equals("eager"))
                .extracting(PercentileComparison::verdict).doesNotContain(Verdict.REGRESSION);
        assertThat(result.message()).startsWith("regression: lazy p50");
        assertThat(result.table()).contains("95% CI of change ms", " regression\n", " not tested\n");
        assertThat(result.markdown()).startsWith("### lambda-init-bench comparison: ❌ regression")
                .contains("| endpoint | percentile | baseline ms |");
    }

    @Test
    void runToRunNoiseDoesNotAlarmEvenWhereTheThresholdAloneWould() {
        int pairs = 20;
        int beyondThresholdAlone = 0;
        for (int pair = 0; pair < pairs; pair++) {
            RunReport baseline = report(Map.of("lazy", latencies(100 + pair, 600, 1.0)));
            RunReport current = report(Map.of("lazy", latencies(200 + pair, 600, 1.0)));

            ComparisonResult result = comparator.compare(baseline, current);

            assertThat(result.exitCode()).as("pair %d: %s", pair, result.table()).isZero();
            beyondThresholdAlone += (int) result.comparisons().stream()
                    .filter(c -> c.verdict() != Verdict.NOT_TESTED && c.differenceMs() > c.thresholdMs()).count();
        }
        // Same distribution, yet some tail percentiles moved by more than 10 %: only the interval keeps them quiet.
        assertThat(beyondThresholdAlone).isPositive();
    }

    @Test
    void aSmallButRealShiftAlarmsOnlyWhenItExceedsTheThreshold() {
        RunReport baseline = report(Map.of("eager", latencies(5, 20_000, 1.0)));
        RunReport current = report(Map.of("eager", latencies(6, 20_000, 1.05)));

        ComparisonResult atTenPercent = comparator.compare(baseline, current);
        ComparisonResult atTwoPercent = ReportComparator.builder().threshold(0.02).build().compare(baseline, current);

        PercentileComparison p50 = atTenPercent.comparisons().get(0);
        assertThat(p50.ciLowMs()).as("the shift is real: the interval excludes 0").isPositive();
        assertThat(p50.verdict()).isEqualTo(Verdict.NO_CHANGE);
        assertThat(atTenPercent.exitCode()).isZero();
        assertThat(atTwoPercent.comparisons().get(0).verdict()).isEqualTo(Verdict.REGRESSION);
        assertThat(atTwoPercent.exitCode()).isEqualTo(1);
    }

    @Test
    void aFasterRunIsAnImprovementNotARegression() {
        ComparisonResult result = comparator.compare(report(Map.of("eager", latencies(7, 1200, 1.0))),
                report(Map.of("eager", latencies(8, 1200, 0.5))));

        assertThat(result.exitCode()).isZero();
        assertThat(result.comparisons()).extracting(PercentileComparison::verdict)
                .containsExactly(Verdict.IMPROVEMENT, Verdict.IMPROVEMENT, Verdict.IMPROVEMENT, Verdict.IMPROVEMENT,
                        Verdict.NOT_TESTED);
    }

    @Test
    void theMaximumIsShownButNotDecided() {
        ComparisonResult result = comparator.compare(report(Map.of("eager", latencies(9, 600, 1.0))),
                report(Map.of("eager", latencies(10, 600, 3.0))));

        PercentileComparison max = result.comparisons().get(4);
        assertThat(max.percentile()).isEqualTo("max");
        assertThat(max.verdict()).isEqualTo(Verdict.NOT_TESTED);
        assertThat(max.currentMs()).isGreaterThan(max.baselineMs());
        assertThat(max.ciLowMs()).isNaN();
    }

    @Test
    void theSameSeedGivesTheSameIntervals() {
        RunReport baseline = report(Map.of("lazy", latencies(11, 800, 1.0)));
        RunReport current = report(Map.of("lazy", latencies(12, 800, 1.1)));

        assertThat(comparator.compare(baseline, current)).isEqualTo(comparator.compare(baseline, current));
        assertThat(ReportComparator.builder().seed(2).build().compare(baseline, current).comparisons())
                .isNotEqualTo(comparator.compare(baseline, current).comparisons());
    }

    @Test
    void aBaselineEndpointMissingFromTheCurrentRunIsInvalidInput() {
        ComparisonResult result = comparator.compare(
                report(Map.of("eager", latencies(1, 100, 1), "lazy", latencies(2, 100, 1))),
                report(Map.of("eager", latencies(3, 100, 1))));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.comparisons()).isEmpty();
        assertThat(result.message()).isEqualTo("cannot compare: the current report has no endpoint 'lazy' (it has"
                + " [eager]; the baseline has [eager, lazy])");
        assertThat(result.markdown()).contains("⚠️ invalid input");
    }

    @Test
    void runsOfDifferentScenariosAreRefusedNamingEachDifference() {
        RunSettings other = new RunSettings(10, List.of(new RunSettings.PhaseSettings("steady", 20, 60),
                new RunSettings.PhaseSettings("burst", 40, 5)), 10_000, 256, Map.of());
        ComparisonResult result = comparator.compare(report(Map.of("eager", latencies(1, 100, 1))),
                report("aws", other, Map.of("eager", latencies(2, 100, 1))));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.message()).isEqualTo("cannot compare: the runs used different settings: target local ≠ aws;"
                + " provisionedConcurrency 20 ≠ 10; phase 'steady' arrival rate 10.0/s ≠ 20.0/s;"
                + " phase 'burst' duration 10.0 s ≠ 5.0 s. Compare runs of the same scenario, or start a new baseline.");
    }

    @Test
    void aPercentileThatIsTheSampleMaximumIsShownNotTested() {
        // p99.9 of 600 requests is the 600th (HdrHistogram's ceiling rank): the maximum, which no resample exceeds.
        ComparisonResult result = comparator.compare(report(Map.of("lazy", latencies(100, 600, 1.0))),
                report(Map.of("lazy", latencies(200, 600, 3.0))));

        assertThat(result.comparisons()).filteredOn(c -> c.percentile().equals("p99.9")).singleElement()
                .satisfies(c -> {
                    assertThat(c.verdict()).isEqualTo(Verdict.NOT_TESTED);
                    assertThat(c.currentMs()).isGreaterThan(c.baselineMs());
                });
        assertThat(result.comparisons()).filteredOn(c -> c.percentile().equals("p99")).singleElement()
                .extracting(PercentileComparison::verdict).isEqualTo(Verdict.REGRESSION);
        assertThat(result.notes()).containsExactly("lazy p99.9 is the sample maximum of 600 requests, which the"
                + " bootstrap cannot bound: not tested (it is from 1000 requests on)");
    }

    @Test
    void settingsThatDoNotChangeTheScenarioAreNotedNotRefused() {
        RunSettings longerTimeout = new RunSettings(20, CraftedReports.SETTINGS.phases(), 20_000, 256,
                Map.of("memorySize", "2048"));
        ComparisonResult result = comparator.compare(report(Map.of("eager", latencies(1, 1200, 1))),
                report("local", longerTimeout, Map.of("eager", latencies(2, 1200, 1), "extra", latencies(3, 1200, 1))));

        assertThat(result.exitCode()).isZero();
        assertThat(result.notes()).containsExactly("request timeout differs: 10000 ms → 20000 ms",
                "other settings differ: {memorySize=1024} → {memorySize=2048}",
                "endpoint 'extra' is new in the current run: not compared");
    }

    @Test
    void eachRunsHostLoadIsNotedAndAnOlderReportWithoutOneSaysSo() {
        RunReport old = report(Map.of("eager", latencies(1, 1200, 1)));
        RunReport baseline = new RunReport(3, old.runId(), old.target(), old.settings(), old.startedAt(),
                old.finishedAt(), old.endpoints(), old.budgets(), old.validity(), null, null);
        RunReport now = report(Map.of("eager", latencies(2, 1200, 1)));
        HostLoad.PhaseLoad load = new HostLoad.PhaseLoad(HostLoad.PhaseLoad.WHOLE_LOAD, 0, 90, 90, 1.234, 2, 3.5, 12,
                111.06);
        RunReport current = new RunReport(RunReport.SCHEMA_VERSION, now.runId(), now.target(), now.settings(),
                now.startedAt(), now.finishedAt(), now.endpoints(), now.budgets(), now.validity(),
                new HostLoad(HostLoad.Role.BENCHMARK_HOST, HostLoad.Status.MEASURED, "", 2, 0.5, 2.5, load,
                        List.of(load), List.of()), null);

        ComparisonResult result = comparator.compare(baseline, current);

        assertThat(result.exitCode()).isZero();
        assertThat(result.notes()).contains("host load: baseline not recorded (report schema 3); current busy cores"
                + " mean 1.23 of 2, min idle 3.5 %");
    }

    @Test
    void corruptOrUnknownFilesAreInvalidInputWithAMessageNamingTheFile(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.json");
        ReportJson.write(report(Map.of("eager", latencies(1, 100, 1))), good);
        String goodJson = Files.readString(good);
        Path notJson = Files.writeString(dir.resolve("not-json.json"), "<html>oops</html>");
        Path truncated = Files.writeString(dir.resolve("truncated.json"), goodJson.substring(0, goodJson.length() / 2));
        Path future = Files.writeString(dir.resolve("future.json"), goodJson.replace(
                "\"schemaVersion\" : " + RunReport.SCHEMA_VERSION, "\"schemaVersion\" : 99"));
        Path noVersion = Files.writeString(dir.resolve("no-version.json"), "{\"runId\": \"x\"}");
        Path badHistogram = Files.writeString(dir.resolve("bad-histogram.json"),
                goodJson.replaceFirst("\"allMicros\" : \"[^\"]*\"", "\"allMicros\" : \"AAAAAAAA\""));

        assertInvalid(comparator.compare(good, dir.resolve("missing.json")), "current report", "missing.json: no such file");
        assertInvalid(comparator.compare(notJson, good), "baseline report", "not-json.json: not valid JSON");
        assertInvalid(comparator.compare(good, truncated), "current report", "truncated.json: not valid JSON");
        assertInvalid(comparator.compare(future, good), "baseline report",
                "future.json: schemaVersion 99 is not supported: this build reads schemaVersion "
                        + RunReport.OLDEST_READABLE_SCHEMA_VERSION + " to " + RunReport.SCHEMA_VERSION);
        assertInvalid(comparator.compare(good, noVersion), "current report", "no-version.json: no \"schemaVersion\"");
        assertInvalid(comparator.compare(good, badHistogram), "current report",
                "bad-histogram.json: endpoint 'eager': histogram is not a valid HdrHistogram compressed encoding");
        assertThat(comparator.compare(good, good).exitCode()).isZero();
    }

    @Test
    void outOfRangeOptionsNameTheOptionAndTheAllowedValues() {
        assertThatThrownBy(() -> ReportComparator.builder().threshold(0))
                .hasMessage("--threshold 0.0 is out of range: use a fraction above 0 and at most 10, e.g. 0.10 for 10 %");
        assertThatThrownBy(() -> ReportComparator.builder().confidence(1.0))
                .hasMessage("--confidence 1.0 is out of range: use a level from 0.5 to 0.999, e.g. 0.95");
        assertThatThrownBy(() -> ReportComparator.builder().iterations(10))
                .hasMessage("iterations 10 is out of range: use 100 to 100000");
    }

    private static void assertInvalid(ComparisonResult result, String... messageParts) {
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.status()).isEqualTo(ComparisonResult.Status.INVALID_INPUT);
        assertThat(result.message()).contains(messageParts);
    }
}
