package dev.initbench.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.initbench.bench.junit.ReportBrowser;
import dev.initbench.bench.junit.ReportBrowser.ChartState;
import dev.initbench.bench.junit.ReportBrowser.PageState;
import dev.initbench.bench.load.LoadGenerator;
import dev.initbench.bench.load.LoadPlan;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.load.LoopbackServer;
import dev.initbench.bench.stats.HostLoad;
import dev.initbench.bench.stats.HostLoadSampler;
import dev.initbench.bench.stats.RunStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * report.html in headless Chromium: a report of a short load against loopback stand-ins of the two functions, with
 * script-like text in its settings and budgets, renders both charts and raises no script error; and the checks
 * themselves catch a page whose script throws or whose chart stays empty. (InitStrategyLatencyIT opens the report
 * of the real local benchmark the same way.)
 */
@Timeout(120)
class ReportInBrowserIT {

    private static final String HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    private static final Path PAGES = Path.of("target", "report-browser");

    private static String page;
    private static HostLoad host;
    private static ReportBrowser browser;

    @BeforeAll
    static void writeAReport() throws Exception {
        try (LoopbackServer server = FakeFunctions.start()) {
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 20, Duration.ofSeconds(1))
                    .endpoint("eager", server.uri("/eager"))
                    .endpoint("lazy", server.uri("/lazy"))
                    .requestTimeout(Duration.ofSeconds(5))
                    .build();
            LoadGenerator.warmUpClient();
            LoadResult result;
            try (HostLoadSampler sampler = HostLoadSampler.start(HostLoad.Role.BENCHMARK_HOST)) {
                result = LoadGenerator.run(plan);
                host = sampler.stop(result.startedAt(), List.of(new HostLoad.PhaseStart("steady", 0)));
            }
            RunStats stats = RunStats.of(result);
            RunReport report = RunReport.builder()
                    .runId("browser-check")
                    .target("local")
                    .settings(RunSettings.of(plan, 4, Map.of("note", HOSTILE)))
                    .load(result, stats)
                    .budget(new BudgetVerdict(Budget.EAGER_P99, HOSTILE, "2 ms", false))
                    .hostLoad(host)
                    .build();
            page = Files.readString(ReportWriter.write(PAGES.resolve("fake-functions"), report, stats).html());
        }
    }

    /** Started by the first test that needs it, so with the opt-out each browser test reports itself skipped. */
    private static ReportBrowser browser() {
        if (browser == null) {
            browser = ReportBrowser.start();
        }
        return browser;
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theReportDrawsEveryChartWithEveryEndpointAndNoScriptError() throws Exception {
        PageState state = browser().open(PAGES.resolve("fake-functions").resolve("report.html"));
        browser().screenshot(PAGES.resolve("fake-functions.png"));

        assertThat(state.consoleErrors()).as("console errors").isEmpty();
        assertThat(state.alertShown()).as("report text ran as script").isFalse();
        assertThat(state.title()).isEqualTo("lambda-init-bench browser-check");
        assertThat(state.charts()).extracting(ChartState::id).containsExactly("percentiles", "timeline", "hostload");
        assertThat(state.charts()).allSatisfy(chart -> assertThat(chart.problems()).as(chart.id()).isEmpty());
        // One percentile curve per endpoint; per endpoint the time chart has requests, first invocations, failures.
        assertThat(state.charts().get(0).seriesPoints()).hasSize(2).allSatisfy(points -> assertThat(points).isPositive());
        assertThat(state.charts().get(1).seriesPoints()).hasSize(6);
        assertThat(state.charts().get(1).seriesPoints().get(0) + state.charts().get(1).seriesPoints().get(1))
                .as("eager requests drawn").isEqualTo(20);
        // The host chart: busy cores, the cores line and runnable threads, one point per sampled second each.
        assertThat(state.charts().get(2).seriesPoints()).hasSize(3)
                .allSatisfy(points -> assertThat(points).isEqualTo(host.seconds().size()));
    }

    @Test
    void aScriptErrorInThePageIsCaught() throws Exception {
        PageState state = browser().open(variant("throws", "var timeline = echarts.init(",
                "undefinedChartHelper(); var timeline = echarts.init("));

        assertThat(state.consoleErrors()).anySatisfy(error -> assertThat(error).contains("undefinedChartHelper"));
        assertThat(state.charts().get(1).problems()).isNotEmpty();
    }

    @Test
    void aChartLeftWithoutDataIsCaught() throws Exception {
        PageState state = browser().open(variant("empty", "data: e.percentiles,", "data: [],"));

        assertThat(state.consoleErrors()).isEmpty();
        assertThat(state.charts().get(0).problems()).containsExactly("percentiles: every series is empty");
    }

    /** The report with one piece of its chart script replaced (failing if that piece is not there). */
    private static Path variant(String name, String original, String replacement) throws Exception {
        assertThat(page).as("the page's chart script").contains(original);
        return Files.writeString(PAGES.resolve(name + ".html"), page.replace(original, replacement));
    }

    @Test
    void startingWithoutChromiumFailsSayingWhatToInstall() {
        String previous = System.getProperty("bench.chromium");
        String optOut = System.clearProperty(ReportBrowser.OPT_OUT_PROPERTY);
        System.setProperty("bench.chromium", "/nonexistent/chromium");
        try {
            assertThat(catchThrowable(ReportBrowser::start))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("apt-get install chromium chromium-driver")
                    .hasMessageContaining("-Dbench.browserTest=skip");
        } finally {
            if (optOut != null) {
                System.setProperty(ReportBrowser.OPT_OUT_PROPERTY, optOut);
            }
            if (previous == null) {
                System.clearProperty("bench.chromium");
            } else {
                System.setProperty("bench.chromium", previous);
            }
        }
    }
}
