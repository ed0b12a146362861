package dev.initbench.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initbench.bench.report.HtmlReport;
import dev.initbench.bench.report.RunReport;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.bench.stats.LatencyPercentiles;
import dev.initbench.bench.stats.LatencyPercentiles.Percentile;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Issue #10's example: 180 requests, the 178th slowest 56.5 ms and the 179th 75.5 ms. p99 is the 179th under
 * HdrHistogram's definition; the report, {@code compare} and the HTML chart must all say 75.5 ms.
 */
class PercentileDefinitionTest {

    @Test
    void reportCompareAndHtmlAgreeOnP99Of180Requests() throws Exception {
        Histogram histogram = LatencyHistograms.newHistogram();
        for (int i = 1; i <= 177; i++) {
            histogram.recordValue(5_000 + 200L * i);
        }
        histogram.recordValue(56_500);
        histogram.recordValue(75_500);
        histogram.recordValue(120_000);
        double the179th = histogram.highestEquivalentValue(75_500) / 1000.0;
        RunReport report = CraftedReports.report(Map.of("eager", histogram));

        double reportP99 = LatencyPercentiles.ofMicros(histogram).p99Ms();
        double compareP99 = ReportComparator.builder().build().compare(report, report).comparisons().stream()
                .filter(c -> c.percentile().equals(Percentile.P99.label())).findFirst().orElseThrow().baselineMs();
        double htmlP99 = htmlChartValue(HtmlReport.render(report, Map.of()), "eager", 99);

        assertThat(reportP99).isEqualTo(the179th).isCloseTo(75.5, Offset.offset(0.1));
        assertThat(compareP99).isEqualTo(the179th);
        assertThat(htmlP99).isEqualTo(the179th);
    }

    @Test
    void everyReportedPercentileAgreesBetweenReportAndCompareForManySampleSizes() {
        for (int count : new int[]{1, 2, 7, 99, 100, 101, 180, 199, 200, 201, 999, 1000, 1001, 4321}) {
            Histogram histogram = CraftedReports.latencies(count, count, 1.0);
            RunReport report = CraftedReports.report(Map.of("eager", histogram));
            LatencyPercentiles reported = report.endpoints().get(0).latencyMs();
            ReportComparator.builder().iterations(100).build().compare(report, report).comparisons().forEach(c ->
                    assertThat(c.baselineMs()).as("%s of %d", c.percentile(), count)
                            .isEqualTo(reported.valueMs(Percentile.ofLabel(c.percentile()))));
        }
    }

    /** Reads the step ('end') series of the percentile chart at a percentile, as ECharts draws it. */
    private static double htmlChartValue(String html, String endpoint, double percentile) throws Exception {
        Matcher matcher = Pattern.compile("id=\"initbench-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(matcher.find()).as("the chart data block").isTrue();
        JsonNode data = new ObjectMapper().readTree(matcher.group(1));
        double x = 1 / (1 - percentile / 100);
        for (JsonNode e : data.get("endpoints")) {
            if (e.get("name").asText().equals(endpoint)) {
                double value = Double.NaN;
                for (JsonNode point : e.get("percentiles")) {
                    if (point.get(0).asDouble() < x || Double.isNaN(value)) {
                        value = point.get(1).asDouble();
                    }
                }
                return value;
            }
        }
        throw new AssertionError("no chart series for " + endpoint);
    }
}
