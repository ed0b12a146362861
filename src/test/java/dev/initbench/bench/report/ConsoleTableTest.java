package dev.initbench.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.stats.Attribution;
import dev.initbench.bench.stats.CpuContention;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.bench.stats.LatencyPercentiles;
import dev.initbench.bench.stats.ReportReconciliation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console report fits a terminal however many strategies a run compares. */
class ConsoleTableTest {

    private static final List<String> STRATEGIES = List.of("eager", "lazy", "async-init", "esm", "cjs");
    private static final RunSettings SETTINGS = new RunSettings(20, List.of(
            new RunSettings.PhaseSettings("steady", 10, 60), new RunSettings.PhaseSettings("scale-out", 1000, 0.03)),
            30_000, 1024, Map.of());
    private static final List<BudgetVerdict> BUDGETS = List.of(
            new BudgetVerdict(Budget.EAGER_BELOW_LAZY, "eager < lazy",
                    "89.5 ms vs 996.9 ms", true),
            new BudgetVerdict(Budget.NO_STEADY_COLD_STARTS,
                    "0 with peak concurrency <= 20", "0 (peak concurrency 4)", true),
            new BudgetVerdict(Budget.BURST_SPILLOVER,
                    "> 0 each with peak concurrency > 20",
                    "eager 12, lazy 12, async-init 11, esm 12, cjs 13 (peak concurrency eager 32, lazy 32,"
                            + " async-init 31, esm 32, cjs 33)", false));

    @ParameterizedTest
    @ValueSource(ints = {120, 100, 80})
    void fiveStrategiesInTwoPhasesFitTheWidthWithEveryValueShown(int width) {
        RunReport report = report(STRATEGIES);

        String console = ReportText.console(report, width);

        assertThat(console.lines().filter(line -> line.length() > width).toList()).as("lines over %d columns", width)
                .isEmpty();
        // Each endpoint's own slowest request (distinct per endpoint) is somewhere in the text, labelled by its column.
        for (EndpointReport endpoint : report.endpoints()) {
            assertThat(console).contains(ComparisonTable.millis(endpoint.latencyMs().maxMs()));
        }
        for (String strategy : STRATEGIES) {
            assertThat(headerLines(console, "steady 10/s × 60 s")).anySatisfy(h -> assertThat(h).contains(strategy));
            assertThat(headerLines(console, "scale-out 1000/s × 0.03 s"))
                    .anySatisfy(h -> assertThat(h).contains(strategy));
        }
        assertThat(console).contains("  FAIL  spillover cold starts", "  pass  eager-init p99 below lazy-init p99",
                "expected eager < lazy; actual 89.5 ms vs 996.9 ms", "  provisioned-concurrency", "  on-demand",
                "123456/123456");
    }

    @Test
    void atOneHundredTwentyColumnsEachPhaseOfFiveStrategiesIsOneBlock() {
        String console = ReportText.console(report(STRATEGIES), 120);

        assertThat(headerLines(console, "steady 10/s × 60 s")).hasSize(1);
        assertThat(headerLines(console, "scale-out 1000/s × 0.03 s")).hasSize(1);
        // The rows of a block line up with its header: the max row carries all five values.
        String maxRow = console.lines().filter(line -> line.startsWith("max ms (all requests)")).findFirst().orElseThrow();
        assertThat(maxRow.trim().split("\\s{2,}")).hasSize(1 + STRATEGIES.size());
    }

    @Test
    void anEightyColumnTerminalGetsThePhaseSplitIntoBlocksThatRepeatTheLabels() {
        String console = ReportText.console(report(STRATEGIES), 80);

        assertThat(headerLines(console, "steady 10/s × 60 s")).hasSizeGreaterThan(1);
        assertThat(console.lines().filter(line -> line.startsWith("p99 ms (all requests)")).count())
                .isEqualTo(headerLines(console, "steady").size() + headerLines(console, "scale-out").size());
    }

    @Test
    void twoStrategiesGetTheRatioColumnInEachPhase() {
        String console = ReportText.console(report(List.of("eager", "lazy")), 120);

        assertThat(headerLines(console, "steady 10/s × 60 s")).singleElement().asString()
                .contains("eager", "lazy", "lazy / eager");
        assertThat(headerLines(console, "scale-out 1000/s × 0.03 s")).singleElement().asString()
                .contains("lazy / eager");
        assertThat(console).containsPattern("p99 ms \\(all requests\\) +\\S+ +\\S+ +\\d+\\.\\d\\d×");
    }

    @Test
    void endpointsWithoutAPhaseSuffixShareOneGroupTitledByTheirPhases() {
        EndpointReport eager = endpoint("eager", 1, 0);
        EndpointReport other = endpoint("eager.unknown-phase", 2, 0);
        RunReport report = new RunReport(1, "r", "local", SETTINGS, "a", "b", List.of(eager, other), List.of(),
                null, null, null);

        ComparisonTable table = ComparisonTable.of(report);

        assertThat(table.groups()).singleElement().satisfies(group -> {
            assertThat(group.title()).isEqualTo("steady 10/s × 60 s, scale-out 1000/s × 0.03 s");
            assertThat(group.columns()).containsExactly("eager", "eager.unknown-phase",
                    "eager.unknown-phase / eager");
        });
    }

    @Test
    void wrapBreaksBetweenWordsAndIndentsTheFollowingLines() {
        assertThat(TextTables.wrap("one two three four", 9, "* ", "  ")).isEqualTo("* one two\n  three\n  four\n");
        assertThat(TextTables.wrap("unbreakable-word", 5, "", "")).isEqualTo("unbreakable-word\n");
    }

    private static List<String> headerLines(String console, String title) {
        return console.lines().filter(line -> line.startsWith(title)).toList();
    }

    private static RunReport report(List<String> strategies) {
        List<EndpointReport> endpoints = new ArrayList<>();
        for (int i = 0; i < strategies.size(); i++) {
            endpoints.add(endpoint(strategies.get(i), i, 0));
        }
        for (int i = 0; i < strategies.size(); i++) {
            endpoints.add(endpoint(strategies.get(i) + ".scale-out", i, 12));
        }
        return new RunReport(1, "20261201-115227-ed1d", "aws", SETTINGS, "2026-12-01T11:52:34Z",
                "2026-12-01T11:53:39Z", endpoints, BUDGETS, Validity.notApplicable(0.10),
                null, null);
    }

    /** An endpoint with wide figures: five-digit latencies (distinct per endpoint), six-digit counts. */
    private static EndpointReport endpoint(String name, int index, long onDemand) {
        Histogram histogram = LatencyHistograms.newHistogram();
        for (int i = 1; i <= 1000; i++) {
            LatencyHistograms.recordNanos(histogram, (long) (i * 10_000_000L + index * 1_700_000_000L));
        }
        LatencyPercentiles percentiles = LatencyPercentiles.ofMicros(histogram);
        String encoded = LatencyHistograms.encode(histogram);
        Attribution attribution = new Attribution(20 + onDemand,
                onDemand == 0 ? Map.of("provisioned-concurrency", 20L)
                        : Map.of("provisioned-concurrency", 20L, "on-demand", onDemand),
                Map.of("provisioned-concurrency", 123456L), onDemand, 20 + onDemand, 20, 0, 12345.6, 23456.7, 12345.6, 0);
        ReportReconciliation reconciliation = new ReportReconciliation(123456, 123456, List.of(), 0, 0, onDemand,
                onDemand == 0 ? List.of() : List.of(12345.6), 0, 1234567.0, 23456.7);
        return new EndpointReport(name, "https://abcdefghij.execute-api.eu-west-1.amazonaws.com/" + name, 123456,
                Map.of(Outcome.SUCCESS, 123456L, Outcome.HTTP_ERROR, 0L, Outcome.TIMEOUT, 0L,
                        Outcome.CONNECTION_ERROR, 0L),
                percentiles, percentiles, percentiles, percentiles, attribution, reconciliation,
                CpuContention.notMeasuredOnAws(), new EndpointReport.EncodedHistograms(encoded, encoded));
    }
}
