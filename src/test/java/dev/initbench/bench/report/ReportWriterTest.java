package dev.initbench.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.initbench.bench.load.LoadGenerator;
import dev.initbench.bench.load.LoadPlan;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.load.LoopbackServer;
import dev.initbench.bench.stats.HostLoad;
import dev.initbench.bench.stats.HostLoadSampler;
import dev.initbench.bench.stats.ResponseFacts;
import dev.initbench.bench.stats.RunStats;
import dev.initbench.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ReportWriterTest {

    private static final String HOSTILE = "<script>alert('x')</script>&|*";
    /** Kept under target/ so the page can be opened (or screenshotted) after the build. */
    private static final Path SAMPLE = Path.of("target", "report-samples", "sample-run");

    private static final CapacityCheck CAPACITY = new CapacityCheck(5, 2, 3.24, 5.0, 2.9, 1.8);

    private static HostLoad host;
    private static RunReport report;
    private static ReportWriter.ReportFiles files;

    @BeforeAll
    static void runAgainstFakeFunctions() throws Exception {
        try (LoopbackServer server = FakeFunctions.start()) {
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 20, Duration.ofSeconds(1))
                    .phase("burst", 60, Duration.ofMillis(500))
                    .endpoint("eager", server.uri("/eager"))
                    .endpoint("lazy", server.uri("/lazy"))
                    .requestTimeout(Duration.ofSeconds(5))
                    .build();
            LoadGenerator.warmUpClient();
            LoadResult result;
            try (HostLoadSampler sampler = HostLoadSampler.start(HostLoad.Role.BENCHMARK_HOST)) {
                result = LoadGenerator.run(plan);
                host = sampler.stop(result.startedAt(), List.of(new HostLoad.PhaseStart("steady", 0),
                        new HostLoad.PhaseStart("burst", 1)));
            }
            RunStats stats = RunStats.of(result);
            // The lazy function's log as CloudWatch Logs would return it: one REPORT line per invocation.
            List<String> lazyLog = new ArrayList<>();
            for (ResponseFacts facts : stats.endpoint("lazy").responses()) {
                lazyLog.add("START RequestId: " + facts.awsRequestId() + " Version: 1");
                lazyLog.add("REPORT RequestId: " + facts.awsRequestId() + "\tDuration: 2.00 ms\tBilled Duration: 2 ms"
                        + "\tMemory Size: 1024 MB\tMax Memory Used: 90 MB\t"
                        + (facts.onDemand() && facts.firstInvocation() ? "Init Duration: 640.50 ms\t" : ""));
            }
            report = RunReport.builder()
                    .runId("sample-run")
                    .target("local")
                    .settings(RunSettings.of(plan, 4, Map.of("memorySize", "1024", "note", HOSTILE)))
                    .load(result, stats)
                    .reconciliation("lazy", stats.endpoint("lazy").reconcile(lazyLog))
                    .budget(new BudgetVerdict(Budget.EAGER_BELOW_LAZY, "< lazy p99", "ok", true))
                    .budget(new BudgetVerdict(Budget.EAGER_P99, "< 1 ms", HOSTILE, false))
                    .hostLoad(host)
                    .capacityCheck(CAPACITY)
                    .build();
            files = ReportWriter.write(SAMPLE, report, stats);
        }
    }

    @Test
    void writesEveryFileOfTheReportFolder() {
        assertThat(files.directory()).isEqualTo(SAMPLE);
        assertThat(List.of(files.json(), files.summary(), files.html())).allSatisfy(p -> assertThat(p).isNotEmptyFile());
        assertThat(files.percentileDistributions()).containsExactly(SAMPLE.resolve("eager.hgrm"), SAMPLE.resolve("lazy.hgrm"));
        assertThat(SAMPLE.resolve("lazy.hgrm")).content()
                .contains("Value     Percentile TotalCount 1/(1-Percentile)", "#[Max     =", "Total count    =           50]");
    }

    @Test
    void reportJsonRoundTripsWithSchemaVersionAndAttribution() {
        RunReport read = ReportJson.read(files.json());

        assertThat(read).isEqualTo(report);
        assertThat(read.schemaVersion()).isEqualTo(RunReport.SCHEMA_VERSION);
        assertThat(read.passed()).isFalse();
        EndpointReport lazy = read.endpoint("lazy").orElseThrow();
        assertThat(lazy.requests()).isEqualTo(50);
        assertThat(lazy.attribution().environmentsTouched()).isEqualTo(FakeFunctions.ENVIRONMENTS + 1);
        assertThat(lazy.attribution().onDemandColdStarts()).isEqualTo(1);
        assertThat(lazy.attribution().firstInvocationsWithSetup()).isEqualTo(FakeFunctions.ENVIRONMENTS + 1);
        assertThat(lazy.firstInvocationLatencyMs().p50Ms()).isGreaterThanOrEqualTo(FakeFunctions.FETCH_MILLIS);
        assertThat(read.endpoint("eager").orElseThrow().attribution().firstInvocationsWithSetup()).isZero();
        assertThat(lazy.reconciliation().consistent()).isTrue();
        assertThat(lazy.reconciliation().matched()).isEqualTo(50);
        assertThat(lazy.reconciliation().onDemandInitDurationsMs()).containsExactly(640.5);
        assertThat(read.endpoint("eager").orElseThrow().reconciliation()).isNull();
        assertThat(ReportJson.toJson(read)).contains("\"schemaVersion\" : " + RunReport.SCHEMA_VERSION,
                "\"passed\" : false", "\"budget\" : \"EAGER_P99\"", "\"name\" : \"eager-init p99 (steady)\"", "\"allMicros\" : \"",
                "\"consistent\" : true", "\"problems\" : [ ]");
    }

    @Test
    void theHostLoadAndTheCapacityCheckRoundTripAndASchema3ReportStillReads() throws Exception {
        RunReport read = ReportJson.read(files.json());

        assertThat(host.measured()).as(host.summary()).isTrue();
        assertThat(read.hostLoad()).isEqualTo(host);
        assertThat(read.capacityCheck()).isEqualTo(CAPACITY);
        assertThat(read.hostLoad().phases()).extracting(HostLoad.PhaseLoad::name).containsExactly("steady", "burst");
        assertThat(ReportJson.toJson(read)).contains("\"hostLoad\" : {", "\"role\" : \"BENCHMARK_HOST\"",
                "\"meanBusyCores\" :", "\"peakRunningThreads\" :", "\"capacityCheck\" : {",
                "\"demandCpuSeconds\" : 3.24", "\"hostBusyCpuSeconds\" : 2.9");

        // A report of the previous schema has neither: it reads, as not measured.
        ObjectNode tree = (ObjectNode) Json.READER.readTree(ReportJson.toJson(read));
        tree.put("schemaVersion", 3);
        tree.remove(List.of("hostLoad", "capacityCheck"));
        RunReport old = ReportJson.parse(tree.toString(), "schema-3.json");
        assertThat(old.hostLoad()).isNull();
        assertThat(old.capacityCheck()).isNull();
        assertThat(ReportText.console(old)).doesNotContain("host load", "capacity estimate");
    }

    @Test
    void aMeasuredHostLoadWithoutItsSummaryIsAnInvalidReport() throws Exception {
        ObjectNode tree = (ObjectNode) Json.READER.readTree(ReportJson.toJson(report));
        ((ObjectNode) tree.get("hostLoad")).remove("load");

        assertThat(catchThrowable(() -> ReportJson.parse(tree.toString(), "x.json")))
                .isInstanceOf(InvalidReportException.class)
                .hasMessage("x.json: \"hostLoad\" is MEASURED but lacks its \"load\" summary or its \"cores\"");
    }

    @Test
    void everyReportShowsTheHostLoadAndTheEstimateAgainstTheActualCpu() throws Exception {
        String console = ReportText.console(report, 200);
        String narrow = ReportText.console(report, 60);
        String summary = Files.readString(files.summary());
        String html = Files.readString(files.html());

        assertThat(console).contains("host load of this host (local cloud, execution environments and load",
                "busy cores, mean", "min idle % in a second", "peak running threads", "whole load", "steady",
                "capacity estimate 3.2 CPU-s for the first 5 s (allowed 5.0 CPU-s of 2 cores); actual: host",
                "busy 2.9 CPU-s (0.90× the estimate), the functions' invocations 1.8 CPU-s (HOSTCPU)");
        assertThat(narrow.lines()).allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(60));
        assertThat(narrow).contains("busy cores, mean", "capacity estimate 3.2 CPU-s");
        assertThat(summary).contains("### Host load", "| busy cores, mean |", "capacity estimate 3.2 CPU-s");
        assertContains(html, "<h2>Host load</h2>", "id=\"hostload\" class=\"chart\"", "\"busyCores\":[[",
                "\"runningThreads\":[[", "id=\"capacity-check\"");
    }

    @Test
    void summaryMarkdownComparesTheEndpointsAndEscapesText() throws Exception {
        String summary = Files.readString(files.summary());

        assertThat(summary).startsWith("## lambda-init-bench ❌ failed")
                .contains("| steady 20/s × 1 s, burst 60/s × 0.5 s | eager | lazy | lazy / eager |",
                        "| p99 ms (all requests) |", "### Budgets",
                        "| eager-init p99 below lazy-init p99 (steady) | &lt; lazy p99 | ok | ✅ pass |",
                        "&lt;script&gt;alert('x')&lt;/script&gt;&amp;\\|\\*")
                .doesNotContain("<script>");
    }

    @Test
    void htmlIsSelfContainedAndEscapesEverythingFromTheReport() throws Exception {
        String html = Files.readString(files.html());

        assertContains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;|*", "id=\"percentiles\"",
                "id=\"timeline\"", "\"firstInvocations\":[[", "echarts.init(");
        assertThat(html.contains("<script>alert")).as("unescaped text in the page").isFalse();
        assertThat(html.contains("src=\"http") || html.contains("href=\"http")).as("external resources").isFalse();
        // Only our three script elements: the data block, the inlined library and the chart code.
        assertThat(html.split("<script", -1)).hasSize(4);
        assertThat(html.split("</script>", -1)).hasSize(4);
    }

    @Test
    void anEndpointNameFromAHandCraftedReportCannotBreakOutOfTheDataBlock() {
        EndpointReport eager = report.endpoints().get(0);
        EndpointReport renamed = new EndpointReport("</script><b>x", eager.uri(), eager.requests(), eager.outcomes(),
                eager.latencyMs(), eager.successLatencyMs(), eager.firstInvocationLatencyMs(),
                eager.laterInvocationLatencyMs(), eager.attribution(), eager.reconciliation(), eager.cpuContention(),
                eager.histograms());
        RunReport crafted = new RunReport(RunReport.SCHEMA_VERSION, "r", "local", report.settings(), "a", "b", List.of(renamed), List.of(),
                null, null, null);

        String html = HtmlReport.render(crafted, Map.of());

        assertContains(html, "\\u003c/script\\u003e\\u003cb\\u003ex", "<th>&lt;/script&gt;&lt;b&gt;x</th>");
        assertThat(html.split("</script>", -1)).hasSize(4);
    }

    /** Checks each needle, reporting only the missing ones (the page is over a megabyte). */
    private static void assertContains(String text, String... needles) {
        assertThat(Arrays.stream(needles).filter(needle -> !text.contains(needle)).toList()).as("missing").isEmpty();
    }

    @Test
    void consoleTableShowsBothEndpointsAndTheBudgets() {
        String console = ReportText.console(report);

        assertThat(console).contains("run sample-run on target local", "eager", "lazy / eager", "p99.9 ms",
                "on-demand cold starts", "budget", "FAIL", "not read", "50/50", "640.5");
    }
}
