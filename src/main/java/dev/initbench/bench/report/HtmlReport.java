package dev.initbench.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.stats.HostLoad;
import dev.initbench.bench.stats.LatencyHistograms;
import dev.initbench.bench.stats.Percentiles;
import dev.initbench.bench.stats.TimelinePoint;
import dev.initbench.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * report.html: one self-contained page that renders offline. The ECharts library is inlined from its webjar; the
 * data is an inline JSON block. Charts: latency by percentile (log-scaled "1 / (1 − percentile)" axis, as
 * HdrHistogram's plots draw it), latency over time with first invocations marked, and, when it was measured, the
 * host's busy cores per second against its cores; tables: the comparison, the host load and the budgets. Every text
 * from the report is HTML-escaped; the JSON block escapes {@code < > &} so no value can close the script element.
 */
public final class HtmlReport {

    /** Where the ECharts webjar (org.webjars.npm:echarts) keeps the minified library. */
    public static final String ECHARTS_RESOURCE = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    /** Beyond this many requests per endpoint the time chart thins the successful later invocations evenly. */
    static final int MAX_TIMELINE_POINTS = 20_000;

    private static final String[] COLORS = {"#3b6fd8", "#d8503b", "#2f9e57", "#b58a16", "#7b4bc4", "#1c9aa8"};

    private HtmlReport() {
    }

    /**
     * Renders the page.
     *
     * @param timelines per endpoint name, its requests in any order (from {@code RunStats}); endpoints without an
     *                  entry get an empty time chart
     */
    public static String render(RunReport report, Map<String, List<TimelinePoint>> timelines) {
        ComparisonTable table = ComparisonTable.of(report);
        StringBuilder html = new StringBuilder(1_200_000);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>lambda-init-bench ").append(escape(report.runId())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        html.append("<h1>lambda-init-bench <span class=\"").append(!report.valid()
                ? "fail\">" + escape(report.validity().status().label())
                : report.passed() ? "pass\">passed" : "fail\">failed").append("</span></h1>\n");
        html.append("<p>Run <code>").append(escape(report.runId())).append("</code> on target <b>")
                .append(escape(report.target())).append("</b>, ").append(escape(report.startedAt())).append(" → ")
                .append(escape(report.finishedAt())).append(". Provisioned concurrency ")
                .append(report.settings().provisionedConcurrency()).append("; phases ")
                .append(escape(ReportText.phases(report.settings().phases()))).append("; request timeout ")
                .append(report.settings().requestTimeoutMs()).append(" ms; at most ")
                .append(report.settings().maxInFlightPerEndpoint()).append(" requests in flight per endpoint")
                .append(otherSettings(report.settings())).append(".</p>\n");
        html.append("<p class=\"note\">Latency is measured from each request's <em>intended</em> send time (open model),"
                + " so waiting in the client counts.</p>\n");

        html.append("<h2>Comparison</h2>\n");
        for (int g = 0; g < table.groups().size(); g++) {
            appendTable(html, table.headerOf(g), table.rowsOf(g));
        }
        appendHostLoad(html, report);
        if (report.validity() != null) {
            html.append("<h2>Validity</h2>\n<p id=\"validity\" class=\"").append(report.valid() ? "note" : "fail")
                    .append("\">").append(escape(report.validity().summary())).append(".</p>\n");
        }
        html.append(report.valid() ? "<h2>Budgets</h2>\n" : "<h2>Budgets (not judged: "
                + escape(report.validity().status().budgetsNotJudgedBecause()) + ")</h2>\n");
        if (report.budgets().isEmpty()) {
            html.append("<p>No budgets were checked in this run.</p>\n");
        } else {
            appendTable(html, List.of("budget", "expected", "actual", "verdict"), ReportText.budgetRows(report, false));
        }
        html.append("<h2>Latency by percentile</h2>\n<div id=\"percentiles\" class=\"chart\"></div>\n");
        html.append("<h2>Latency over time</h2>\n<p class=\"note\">Each dot is a request at its intended send time;"
                + " diamonds are the first invocation of an execution environment, triangles failed requests.</p>\n"
                + "<div id=\"timeline\" class=\"chart\"></div>\n");
        if (report.hostLoad() != null && report.hostLoad().measured()) {
            html.append("<h2>Host load over time</h2>\n<p class=\"note\">Cores' worth of CPU busy on this host each"
                    + " second (all processes), against its cores; the runnable threads at each second's end on the"
                    + " right axis.</p>\n<div id=\"hostload\" class=\"chart\"></div>\n");
        }
        html.append("<noscript><p>The charts need JavaScript; the tables above hold the figures.</p></noscript>\n");

        html.append("<script type=\"application/json\" id=\"initbench-data\">")
                .append(scriptSafeJson(chartData(report, timelines))).append("</script>\n");
        html.append("<script>\n").append(echarts().replace("</script", "<\\/script")).append("\n</script>\n");
        html.append("<script>\n").append(CHARTS_SCRIPT).append("</script>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String otherSettings(RunSettings settings) {
        StringBuilder out = new StringBuilder();
        settings.other().forEach((key, value) -> out.append("; ").append(escape(key)).append(' ').append(escape(value)));
        return out.toString();
    }

    private static void appendTable(StringBuilder html, List<String> header, List<List<String>> rows) {
        html.append("<table>\n<thead><tr>");
        header.forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                String value = row.get(c);
                // A label indented in the text table (a sub-row, e.g. one init type) is indented by CSS here.
                String cssClass = c == 0 ? (value.startsWith(" ") ? " class=\"sub\"" : "")
                        : "FAIL".equals(value) ? " class=\"num fail\""
                        : "pass".equals(value) ? " class=\"num pass\"" : " class=\"num\"";
                html.append("<td").append(cssClass).append('>')
                        .append(escape(c == 0 ? value.strip() : value)).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void appendHostLoad(StringBuilder html, RunReport report) {
        if (report.hostLoad() == null && report.capacityCheck() == null) {
            return;
        }
        html.append("<h2>Host load</h2>\n");
        if (report.hostLoad() != null) {
            html.append("<p id=\"host-load\" class=\"note\">").append(escape(HostLoadTable.heading(report.hostLoad())))
                    .append(".</p>\n");
            if (report.hostLoad().measured()) {
                appendTable(html, HostLoadTable.header(report.hostLoad()), HostLoadTable.rows(report.hostLoad()));
            }
        }
        if (report.capacityCheck() != null) {
            html.append("<p id=\"capacity-check\">").append(escape(report.capacityCheck().summary())).append(".</p>\n");
        }
    }

    /** The host chart's data: busy cores and runnable threads per second, and the cores; null when not measured. */
    private static Map<String, Object> hostLoadData(HostLoad host) {
        if (host == null || !host.measured()) {
            return null;
        }
        List<double[]> busy = new ArrayList<>();
        List<double[]> running = new ArrayList<>();
        for (HostLoad.Second second : host.seconds()) {
            double at = round(second.startSeconds() + second.durationSeconds(), 3);
            busy.add(new double[]{at, round(second.busyCores(), 3)});
            running.add(new double[]{at, second.runningThreads()});
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cores", host.cores());
        data.put("busyCores", busy);
        data.put("runningThreads", running);
        return data;
    }

    private static Map<String, Object> chartData(RunReport report, Map<String, List<TimelinePoint>> timelines) {
        List<Map<String, Object>> endpoints = new ArrayList<>();
        int index = 0;
        for (EndpointReport endpoint : report.endpoints()) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("name", endpoint.name());
            data.put("color", COLORS[index++ % COLORS.length]);
            data.put("percentiles", percentileCurve(LatencyHistograms.decode(endpoint.histograms().allMicros())));
            List<double[]> points = new ArrayList<>();
            List<double[]> first = new ArrayList<>();
            List<double[]> failed = new ArrayList<>();
            List<TimelinePoint> timeline = timelines.getOrDefault(endpoint.name(), List.of());
            int stride = Math.max(1, (int) Math.ceil(timeline.size() / (double) MAX_TIMELINE_POINTS));
            int seen = 0;
            for (TimelinePoint point : timeline) {
                double[] xy = {round(point.secondsFromStart(), 3), Math.max(0.001, round(point.latencyMs(), 3))};
                if (point.outcome() != Outcome.SUCCESS) {
                    failed.add(xy);
                } else if (point.firstInvocation()) {
                    first.add(xy);
                } else if (seen++ % stride == 0) {
                    points.add(xy);
                }
            }
            data.put("timeline", points);
            data.put("firstInvocations", first);
            data.put("failures", failed);
            endpoints.add(data);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("endpoints", endpoints);
        data.put("host", hostLoadData(report.hostLoad()));
        return data;
    }

    /**
     * Corners (1 / (1 − percentile), latency ms) of the histogram's percentile curve for a step chart ('end'), by
     * the report's own percentile definition ({@link Percentiles#curve}): read at p99 it shows report.json's p99.
     */
    static List<double[]> percentileCurve(Histogram micros) {
        List<double[]> curve = new ArrayList<>();
        if (micros.getTotalCount() == 0) {
            return curve;
        }
        double lastX = 1;
        for (Percentiles.CurvePoint point : Percentiles.curve(micros)) {
            double percentile = point.percentile();
            // The 100th percentile sits at infinity on this axis: place it one step beyond the last finite point.
            double x = percentile >= 100.0 ? Math.max(lastX * 2, micros.getTotalCount()) : 1 / (1 - percentile / 100);
            lastX = x;
            curve.add(new double[]{round(x, 4), round(point.value() / 1000.0, 3)});
            if (percentile >= 100.0) {
                break;
            }
        }
        return curve;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static String scriptSafeJson(Object data) {
        try {
            // < > & only occur inside JSON strings, where their \\u escapes mean the same: nothing can end the script.
            return Json.WRITER.writeValueAsString(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize chart data: " + e.getMessage(), e);
        }
    }

    private static String echarts() {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(ECHARTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ECHARTS_RESOURCE + " is not on the classpath: report.html inlines"
                        + " ECharts from the org.webjars.npm:echarts:5.3.1 jar; add it to the runtime classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + ECHARTS_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto;
                   max-width: 1100px; color: #1d232b; padding: 0 16px; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
            table { border-collapse: collapse; margin: 8px 0; font-size: 0.92em; }
            th, td { border: 1px solid #d4d9e0; padding: 4px 10px; text-align: left; }
            th { background: #f1f3f6; } td.sub { padding-left: 26px; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .pass { color: #1e7b3c; font-weight: 600; } .fail { color: #c0281c; font-weight: 600; }
            .note { color: #56606d; font-size: 0.92em; }
            .chart { width: 100%; height: 440px; border: 1px solid #e3e6eb; }
            """;

    private static final String CHARTS_SCRIPT = """
            (function () {
              var data = JSON.parse(document.getElementById('initbench-data').textContent);
              function percentileLabel(x) {
                var p = 100 * (1 - 1 / x);
                return (p <= 0 ? '0' : String(Math.round(p * 10000) / 10000)) + '%';
              }
              var maxX = 10;
              data.endpoints.forEach(function (e) {
                e.percentiles.forEach(function (p) { if (p[0] > maxX) { maxX = p[0]; } });
              });
              maxX = Math.pow(10, Math.ceil(Math.log10(maxX)));
              var percentiles = echarts.init(document.getElementById('percentiles'), null, {renderer: 'svg'});
              percentiles.setOption({
                animation: false,
                grid: {left: 70, right: 40, top: 50, bottom: 60},
                legend: {top: 10},
                tooltip: {trigger: 'item', formatter: function (p) {
                  return p.seriesName + ': ' + percentileLabel(p.value[0]) + ' ≤ ' + p.value[1] + ' ms'; }},
                xAxis: {type: 'log', logBase: 10, min: 1, max: maxX, name: 'percentile', nameLocation: 'middle',
                        nameGap: 32, axisLabel: {formatter: percentileLabel}},
                yAxis: {type: 'value', name: 'latency (ms)'},
                series: data.endpoints.map(function (e) {
                  return {name: e.name, type: 'line', showSymbol: false, step: 'end', data: e.percentiles,
                          itemStyle: {color: e.color}, lineStyle: {width: 2}};
                })
              });
              var series = [];
              data.endpoints.forEach(function (e) {
                series.push({name: e.name, type: 'scatter', symbolSize: 4, data: e.timeline,
                             itemStyle: {color: e.color, opacity: 0.55}});
                series.push({name: e.name + ' first invocation', type: 'scatter', symbol: 'diamond', symbolSize: 11,
                             data: e.firstInvocations, itemStyle: {color: e.color, borderColor: '#111', borderWidth: 1}});
                series.push({name: e.name + ' failed', type: 'scatter', symbol: 'triangle', symbolSize: 9,
                             data: e.failures, itemStyle: {color: '#ffffff', borderColor: e.color, borderWidth: 2}});
              });
              var timeline = echarts.init(document.getElementById('timeline'), null, {renderer: 'svg'});
              timeline.setOption({
                animation: false,
                grid: {left: 70, right: 40, top: 60, bottom: 60},
                legend: {top: 10},
                tooltip: {trigger: 'item', formatter: function (p) {
                  return p.seriesName + ': at ' + p.value[0] + ' s, ' + p.value[1] + ' ms'; }},
                xAxis: {type: 'value', name: 'intended send time (s)', nameLocation: 'middle', nameGap: 32},
                yAxis: {type: 'log', name: 'latency (ms, log)'},
                series: series
              });
              var charts = [percentiles, timeline];
              if (data.host) {
                var host = echarts.init(document.getElementById('hostload'), null, {renderer: 'svg'});
                host.setOption({
                  animation: false,
                  grid: {left: 70, right: 70, top: 60, bottom: 60},
                  legend: {top: 10},
                  tooltip: {trigger: 'axis'},
                  xAxis: {type: 'value', name: "seconds from the load's start", nameLocation: 'middle', nameGap: 32},
                  yAxis: [{type: 'value', name: 'cores', min: 0, max: function (v) { return Math.max(v.max, data.host.cores); }},
                          {type: 'value', name: 'running threads', min: 0, splitLine: {show: false}}],
                  series: [
                    {name: 'busy cores', type: 'line', showSymbol: true, symbolSize: 4, data: data.host.busyCores,
                     itemStyle: {color: '#3b6fd8'}, areaStyle: {opacity: 0.15}},
                    {name: 'cores (' + data.host.cores + ')', type: 'line', showSymbol: false,
                     data: data.host.busyCores.map(function (p) { return [p[0], data.host.cores]; }),
                     itemStyle: {color: '#c0281c'}, lineStyle: {type: 'dashed', width: 2}},
                    {name: 'running threads', type: 'line', yAxisIndex: 1, showSymbol: false, step: 'end',
                     data: data.host.runningThreads, itemStyle: {color: '#7b4bc4'}, lineStyle: {width: 1}}
                  ]
                });
                charts.push(host);
              }
              window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
            })();
            """;
}
