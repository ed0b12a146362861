package dev.initbench.bench.it;

import static dev.initbench.bench.run.BenchmarkSession.EAGER;
import static dev.initbench.bench.run.BenchmarkSession.LAZY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initbench.bench.junit.DeployedBenchmark;
import dev.initbench.bench.junit.LatencyComparisonAssert;
import dev.initbench.bench.junit.ReportBrowser;
import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.load.RequestRecord;
import dev.initbench.bench.report.Budget;
import dev.initbench.bench.report.BudgetVerdict;
import dev.initbench.bench.report.ReportJson;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.report.Validity;
import dev.initbench.bench.config.TargetKind;
import dev.initbench.bench.stats.CpuContention;
import dev.initbench.bench.run.BenchmarkResult;
import dev.initbench.bench.stats.Attribution;
import dev.initbench.bench.stats.EndpointSummary;
import dev.initbench.bench.stats.ReportReconciliation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end claim: under provisioned concurrency, fetching configuration during init (eager) gives a lower
 * tail latency than fetching it on the first request (lazy), for the reason claimed. One deployment and one load
 * run serve every test ({@link DeployedBenchmark}); the target is the local cloud unless {@code -Dbench.target=aws}.
 */
@DeployedBenchmark
class InitStrategyLatencyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bothEndpointsAnswer200WithTheParameterValueOnEveryRequest(BenchmarkResult result) throws Exception {
        List<RequestRecord> records = new ArrayList<>(result.load().records());

        // Every arrival sent one request to each of the two endpoints, and each ended with an outcome.
        assertThat(records).hasSize((int) (2 * result.load().plan().scheduledArrivals()));
        for (RequestRecord record : records) {
            assertThat(record.outcome()).as("%s %s: %s", record.endpoint(), record.error(), record.body())
                    .isEqualTo(Outcome.SUCCESS);
            assertThat(record.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(record.body()).path("value").asText()).isEqualTo(result.settings().parameterValue());
        }
        LatencyComparisonAssert.assertThat(result).passes(Budget.ERRORS);
    }

    @Test
    void eagerInitP99IsBelowLazyInitP99(BenchmarkResult result) {
        LatencyComparisonAssert.assertThat(result).hasEagerP99BelowLazyP99().passes(Budget.EAGER_BELOW_LAZY);
    }

    @Test
    void lazyFirstInvocationsCarryTheParameterFetchAndEagerOnesDoNot(BenchmarkResult result) throws Exception {
        Attribution eager = result.steady(EAGER).attribution();
        Attribution lazy = result.steady(LAZY).attribution();

        assertThat(lazy.firstInvocations()).as("lazy environments reached").isPositive();
        assertThat(lazy.firstInvocationsWithSetup()).isEqualTo(lazy.firstInvocations());
        assertThat(lazy.meanSetupInFirstInvocationMs()).isPositive();
        assertThat(eager.firstInvocations()).as("eager environments reached").isPositive();
        assertThat(eager.firstInvocationsWithSetup()).isZero();
        assertThat(eager.meanInitDurationMs()).as("eager paid the fetch during init instead")
                .isGreaterThan(lazy.meanInitDurationMs());
        for (RequestRecord record : result.steadyRecords(EAGER)) {
            JsonNode body = JSON.readTree(record.body());
            assertThat(body.path("setupPhase").asText()).isEqualTo("init");
            assertThat(body.path("setupInThisInvocationMs").asDouble()).isZero();
        }
        // The tail the lazy function pays is its first invocations: they are slower than its other requests.
        EndpointSummary lazySummary = result.steady(LAZY);
        assertThat(lazySummary.firstInvocations().p50Ms()).isGreaterThan(lazySummary.laterInvocations().p50Ms());
    }

    @Test
    void noOnDemandColdStartWhileProvisionedConcurrencyCoversTheLoad(BenchmarkResult result) {
        int provisioned = result.settings().provisionedConcurrency();
        for (String endpoint : List.of(EAGER, LAZY)) {
            assertThat(result.steadyPeakConcurrency(endpoint)).as("%s steady peak concurrency", endpoint)
                    .isLessThanOrEqualTo(provisioned);
            Attribution attribution = result.steady(endpoint).attribution();
            assertThat(attribution.onDemandColdStarts()).as("%s on-demand cold starts", endpoint).isZero();
            assertThat(attribution.environmentsByInitType()).containsOnlyKeys("provisioned-concurrency");
        }
        LatencyComparisonAssert.assertThat(result).passes(Budget.NO_STEADY_COLD_STARTS);
    }

    @Test
    void aBurstAboveProvisionedConcurrencySpillsOverToOnDemandColdStarts(BenchmarkResult result) {
        int provisioned = result.settings().provisionedConcurrency();
        for (String endpoint : List.of(EAGER, LAZY)) {
            assertThat(result.burstPeakConcurrency(endpoint)).as("%s burst peak concurrency", endpoint)
                    .isGreaterThan(provisioned);
            EndpointSummary burst = result.burst(endpoint);
            assertThat(burst.attribution().onDemandColdStarts()).as("%s spillover cold starts", endpoint).isPositive();
            assertThat(burst.attribution().environmentsByInitType()).containsKey("on-demand");
            // A cold start pays the environment's start and init: visibly longer than a warm request of the burst.
            assertThat(burst.firstInvocations().maxMs()).isGreaterThan(burst.laterInvocations().p50Ms());
        }
        LatencyComparisonAssert.assertThat(result).passes(Budget.BURST_SPILLOVER);
    }

    @Test
    void absoluteBudgetsOfTheScenarioHold(BenchmarkResult result) {
        List<Budget> absolute = result.report().budgets().stream().map(BudgetVerdict::budget)
                .filter(budget -> budget == Budget.EAGER_P99 || budget == Budget.LAZY_P99)
                .toList();
        assertThat(absolute.size()).as("configured absolute budgets")
                .isEqualTo((result.settings().budgets().eagerP99Ms().isPresent() ? 1 : 0)
                        + (result.settings().budgets().lazyP99Ms().isPresent() ? 1 : 0));
        absolute.forEach(budget -> LatencyComparisonAssert.assertThat(result).passes(budget));
    }

    @Test
    void everyResponseHasItsReportLineAndOnlyOnDemandEnvironmentsReportInitDuration(BenchmarkResult result) {
        for (var endpoint : result.report().endpoints()) {
            ReportReconciliation reconciliation = endpoint.reconciliation();
            assertThat(reconciliation).as("%s reconciliation", endpoint.name()).isNotNull();
            assertThat(reconciliation.problems()).as(endpoint.name()).isEmpty();
            assertThat(reconciliation.matched()).isEqualTo(reconciliation.responses()).isPositive();
        }
        assertThat(result.report().endpoint(EAGER + "." + result.settings().burst().name()).orElseThrow()
                .reconciliation().onDemandInitDurationsMs()).isNotEmpty().allSatisfy(ms -> assertThat(ms).isPositive());
    }

    @Test
    void everyReportCarriesEachEndpointsCpuWaitAndTheRunsValidity(BenchmarkResult result) throws Exception {
        Validity validity = result.report().validity();
        assertThat(validity).isNotNull();
        LatencyComparisonAssert.assertThat(result).isValid();
        if (result.settings().target() == TargetKind.AWS) {
            assertThat(validity.status()).isEqualTo(Validity.Status.NOT_APPLICABLE);
        }
        for (var endpoint : result.report().endpoints()) {
            CpuContention contention = endpoint.cpuContention();
            assertThat(contention).as("%s CPU contention", endpoint.name()).isNotNull();
            if (contention.measured()) {
                // Every answered request's HOSTCPU line was found, and CPU wait is a part of its latency.
                assertThat(contention.unmatched()).as(endpoint.name()).isZero();
                assertThat(contention.all().cpuWaitSumMs()).isLessThanOrEqualTo(contention.all().latencySumMs());
            }
        }
        String summary = java.nio.file.Files.readString(result.files().summary());
        assertThat(summary).contains("CPU wait % of latency, first inv.").contains("### Validity");
        assertThat(java.nio.file.Files.readString(result.files().html())).contains("id=\"validity\"");
        JsonNode json = JSON.readTree(result.files().json().toFile());
        assertThat(json.path("validity").path("status").asText()).isEqualTo(validity.status().name());
        assertThat(json.path("endpoints").get(0).path("cpuContention").path("firstInvocations").has("cpuWaitShare"))
                .isTrue();
    }

    @Test
    void theRunWritesItsReports(BenchmarkResult result) {
        assertThat(result.files().json()).isRegularFile();
        assertThat(result.files().summary()).isRegularFile();
        assertThat(result.files().html()).isRegularFile();
        assertThat(result.files().percentileDistributions()).isNotEmpty().allSatisfy(file -> assertThat(file).isRegularFile());
        RunReport reread = ReportJson.read(result.files().json());
        assertThat(reread.schemaVersion()).isEqualTo(RunReport.SCHEMA_VERSION);
        assertThat(reread.runId()).isEqualTo(result.runId().value());
        assertThat(reread.budgets()).isEqualTo(result.report().budgets());
    }

    @Test
    void theRunsReportDrawsItsChartsInABrowserWithoutScriptErrors(BenchmarkResult result) {
        ReportBrowser.PageState page;
        try (ReportBrowser browser = ReportBrowser.start()) {
            page = browser.open(result.files().html());
            browser.screenshot(result.files().directory().resolve("report.png"));
        }
        assertThat(page.consoleErrors()).as("console errors in report.html").isEmpty();
        assertThat(page.charts()).extracting(ReportBrowser.ChartState::id).containsExactly("percentiles", "timeline",
                "hostload");
        assertThat(page.charts()).allSatisfy(chart -> assertThat(chart.problems()).as(chart.id()).isEmpty());
        // One percentile curve per reported endpoint (steady and burst scopes), none of them empty.
        assertThat(page.charts().get(0).seriesPoints()).hasSize(result.report().endpoints().size())
                .allSatisfy(points -> assertThat(points).isPositive());
    }
}
