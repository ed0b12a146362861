package dev.initbench.bench.junit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens report.html in headless Chromium, Debian's {@code chromium} package driven through its
 * {@code chromium-driver} (Selenium never downloads a browser or driver here: both paths are given), and reads back
 * what a person would see: each ECharts chart's instance, series and drawn SVG, and the console's errors.
 *
 * <p>Without Chromium the browser tests fail, saying what to install, unless {@code -Dbench.browserTest=skip}
 * opts out (then they are reported as skipped). {@code -Dbench.chromium} and {@code -Dbench.chromedriver} point
 * at other binaries.
 */
public final class ReportBrowser implements AutoCloseable {

    /** The opt-out: {@code -Dbench.browserTest=skip}. */
    public static final String OPT_OUT_PROPERTY = "bench.browserTest";

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Selenium looks for a DevTools (CDP) module matching the browser's version whenever it starts Chrome, and warns
     * when there is none. These tests never use CDP, and a module pinned to one Chromium release would be stale
     * after Debian's next update, so its warning is switched off (held here: java.util.logging keeps loggers weakly).
     */
    private static final java.util.logging.Logger CDP_VERSION_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");
    private static final Duration PAGE_LOAD_TIMEOUT = Duration.ofSeconds(60);

    /** Every chart element of the page as ECharts and the SVG renderer left it, read inside the page. */
    private static final String READ_CHARTS = """
            return JSON.stringify(Array.prototype.map.call(document.querySelectorAll('.chart'), function (div) {
              var chart = window.echarts ? echarts.getInstanceByDom(div) : undefined;
              var series = chart ? chart.getOption().series : [];
              var svg = div.querySelector('svg');
              var box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
              return {id: div.id, instance: !!chart,
                      seriesPoints: series.map(function (s) { return s.data ? s.data.length : 0; }),
                      svgWidth: box.width, svgHeight: box.height,
                      drawnShapes: svg ? svg.querySelectorAll('path, circle, rect, polyline').length : 0};
            }));
            """;

    /**
     * One chart as rendered.
     *
     * @param id           the chart element's id
     * @param instance     whether ECharts initialized a chart on it
     * @param seriesPoints data points of each series in the chart's option
     * @param svgWidth     width of its drawn SVG (0 when none)
     * @param svgHeight    height of its drawn SVG
     * @param drawnShapes  SVG shapes drawn (axes, lines, symbols)
     */
    public record ChartState(String id, boolean instance, List<Integer> seriesPoints, double svgWidth,
                             double svgHeight, int drawnShapes) {

        /** Why this chart does not count as rendered; empty when it does. */
        public List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (!instance) {
                problems.add(id + ": no ECharts instance (echarts.init did not run on it)");
            }
            if (seriesPoints.isEmpty()) {
                problems.add(id + ": no series in the chart's option");
            } else if (seriesPoints.stream().allMatch(points -> points == 0)) {
                problems.add(id + ": every series is empty");
            }
            if (svgWidth <= 0 || svgHeight <= 0) {
                problems.add(id + ": no drawn SVG of nonzero size (" + svgWidth + " × " + svgHeight + ")");
            } else if (drawnShapes <= seriesPoints.size()) {
                problems.add(id + ": only " + drawnShapes + " shapes drawn for " + seriesPoints.size() + " series");
            }
            return problems;
        }
    }

    /**
     * What a page showed.
     *
     * @param title         the document's title
     * @param charts        every {@code .chart} element, in page order
     * @param consoleErrors console messages of level SEVERE: script errors, failed loads, console.error calls
     * @param alertShown    whether the page opened an alert dialog (report text that ran as script)
     */
    public record PageState(String title, List<ChartState> charts, List<String> consoleErrors, boolean alertShown) {
    }

    private final Path profile;
    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private ReportBrowser(Path profile, ChromeDriverService service, ChromeDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /**
     * Starts headless Chromium with a fresh profile.
     *
     * @throws AssertionError naming the missing binary and how to install it, unless the browser tests are opted
     *                        out (then the calling test is aborted as skipped)
     */
    public static ReportBrowser start() {
        CDP_VERSION_FINDER.setLevel(Level.OFF);
        Path chromium = Path.of(System.getProperty("bench.chromium", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getProperty("bench.chromedriver", "/usr/bin/chromedriver"));
        String optOut = System.getProperty(OPT_OUT_PROPERTY, "");
        if (!optOut.isEmpty() && !optOut.equals("skip")) {
            throw new IllegalArgumentException("-D" + OPT_OUT_PROPERTY + "=" + optOut + " is not understood: use -D"
                    + OPT_OUT_PROPERTY + "=skip to skip the browser tests, or leave it unset");
        }
        List<Path> missing = Stream.of(chromium, chromedriver).filter(p -> !Files.isExecutable(p)).toList();
        if (!missing.isEmpty()) {
            String message = "the report's browser test needs headless Chromium and its driver, and " + missing
                    + " is not installed: run `apt-get install chromium chromium-driver` (Debian) or point"
                    + " -Dbench.chromium / -Dbench.chromedriver at them";
            Assumptions.assumeFalse(optOut.equals("skip"), message + " (skipped: -D" + OPT_OUT_PROPERTY + "=skip)");
            throw new AssertionError(message + "; -D" + OPT_OUT_PROPERTY + "=skip skips these tests");
        }
        Path profile;
        try {
            profile = Files.createTempDirectory("initbench-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a Chromium profile folder: " + e.getMessage(), e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
                "--window-size=1280,2000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD_TIMEOUT);
            return new ReportBrowser(profile, service, driver);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile(profile);
            throw e;
        }
    }

    /** Opens the file, lets the page's scripts run, and reads its charts and console. */
    public PageState open(Path html) {
        driver.get(html.toAbsolutePath().toUri().toString());
        boolean alert;
        try {
            driver.switchTo().alert().dismiss();
            alert = true;
        } catch (NoAlertPresentException none) {
            alert = false;
        }
        String charts = (String) ((JavascriptExecutor) driver).executeScript(READ_CHARTS);
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
        try {
            return new PageState(driver.getTitle(), JSON.readValue(charts, new TypeReference<List<ChartState>>() {
            }), errors, alert);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable chart state from the page: " + charts, e);
        }
    }

    /** A PNG of the current page, for a person to look at when a check fails. */
    public Path screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Quits Chromium and its driver and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile(profile);
        }
    }

    private static void deleteProfile(Path profile) {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A leftover temp folder is harmless; the test's verdict must not depend on it.
        }
    }
}
