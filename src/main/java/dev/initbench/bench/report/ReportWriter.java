package dev.initbench.bench.report;

import dev.initbench.bench.stats.EndpointRecorder;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.bench.stats.RunStats;
import dev.initbench.bench.stats.TimelinePoint;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run's report folder: report.json, summary.md, report.html and one {@code <endpoint>.hgrm} each. */
public final class ReportWriter {

    /** Where the files went. */
    public record ReportFiles(Path directory, Path json, Path summary, Path html, List<Path> percentileDistributions) {
    }

    private ReportWriter() {
    }

    /**
     * Writes the report folder (created if missing; existing files of the same names are replaced).
     *
     * @param stats the run's recorders, for the latency-over-time chart
     */
    public static ReportFiles write(Path directory, RunReport report, RunStats stats) {
        Map<String, List<TimelinePoint>> timelines = new LinkedHashMap<>();
        for (EndpointRecorder recorder : stats.endpoints()) {
            timelines.put(recorder.endpoint(), recorder.timeline());
        }
        try {
            Files.createDirectories(directory);
            Path json = directory.resolve("report.json");
            ReportJson.write(report, json);
            Path summary = Files.writeString(directory.resolve("summary.md"), ReportText.markdown(report));
            Path html = Files.writeString(directory.resolve("report.html"), HtmlReport.render(report, timelines));
            List<Path> distributions = new ArrayList<>();
            for (EndpointReport endpoint : report.endpoints()) {
                distributions.add(writePercentileDistribution(directory.resolve(endpoint.name() + ".hgrm"), endpoint));
            }
            return new ReportFiles(directory, json, summary, html, List.copyOf(distributions));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** HdrHistogram's percentile distribution of all requests' latencies, in milliseconds. */
    private static Path writePercentileDistribution(Path file, EndpointReport endpoint) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            LatencyHistograms.decode(endpoint.histograms().allMicros()).outputPercentileDistribution(out, 5, 1000.0);
        }
        return file;
    }
}
