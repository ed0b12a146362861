package dev.initbench.bench.report;

import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.stats.Attribution;
import dev.initbench.bench.stats.LatencyPercentiles.Percentile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The endpoints of one run side by side (eager vs lazy), as plain cells; the console, Markdown and HTML renderers
 * format the same table. With exactly two endpoints a last column gives the second's latency over the first's.
 *
 * @param header column titles, the first one empty (row labels)
 * @param rows   the rows
 */
public record ComparisonTable(List<String> header, List<Row> rows) {

    /** One row: a label and one cell per remaining column. */
    public record Row(String label, List<String> cells) {
    }

    public static ComparisonTable of(RunReport report) {
        List<EndpointReport> endpoints = report.endpoints();
        boolean ratio = endpoints.size() == 2;
        List<String> header = new ArrayList<>();
        header.add("");
        endpoints.forEach(e -> header.add(e.name()));
        if (ratio) {
            header.add(endpoints.get(1).name() + " / " + endpoints.get(0).name());
        }
        List<Row> rows = new ArrayList<>();
        rows.add(text("requests", endpoints, e -> Long.toString(e.requests()), ratio));
        for (Outcome outcome : Outcome.values()) {
            rows.add(text(outcome.name().toLowerCase(Locale.ROOT).replace('_', ' '), endpoints,
                    e -> Long.toString(e.count(outcome)), ratio));
        }
        for (Percentile percentile : Percentile.values()) {
            rows.add(latency(percentile.label() + " ms (all requests)", endpoints,
                    e -> e.latencyMs().valueMs(percentile), ratio));
        }
        rows.add(latency("first invocations p50 ms", endpoints, e -> e.firstInvocationLatencyMs().p50Ms(), ratio));
        rows.add(latency("first invocations max ms", endpoints, e -> e.firstInvocationLatencyMs().maxMs(), ratio));
        rows.add(latency("later invocations p99 ms", endpoints, e -> e.laterInvocationLatencyMs().p99Ms(), ratio));
        rows.add(text("environments touched", endpoints, e -> Long.toString(e.attribution().environmentsTouched()), ratio));
        rows.add(text("environments by init type", endpoints, e -> byType(e.attribution()), ratio));
        rows.add(text("on-demand cold starts", endpoints, e -> Long.toString(e.attribution().onDemandColdStarts()), ratio));
        rows.add(text("first invocations (paying setup)", endpoints, e -> e.attribution().firstInvocations() + " ("
                + e.attribution().firstInvocationsWithSetup() + ")", ratio));
        rows.add(latency("mean setup in first invocation ms", endpoints,
                e -> e.attribution().meanSetupInFirstInvocationMs(), false));
        rows.add(latency("mean handler init ms", endpoints, e -> e.attribution().meanInitDurationMs(), false));
        if (endpoints.stream().anyMatch(e -> e.reconciliation() != null)) {
            rows.add(text("REPORT lines matched", endpoints, e -> e.reconciliation() == null ? "not read"
                    : e.reconciliation().matched() + "/" + e.reconciliation().responses(), ratio));
            rows.add(text("on-demand Init Duration max ms", endpoints, e -> e.reconciliation() == null ? "not read"
                    : millis(e.reconciliation().onDemandInitDurationsMs().stream().mapToDouble(Double::doubleValue)
                    .max().orElse(0)), ratio));
        }
        return new ComparisonTable(List.copyOf(header), List.copyOf(rows));
    }

    /** Formats milliseconds with one decimal. */
    public static String millis(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static Row text(String label, List<EndpointReport> endpoints, Function<EndpointReport, String> cell,
                            boolean ratioColumn) {
        List<String> cells = new ArrayList<>(endpoints.stream().map(cell).toList());
        if (ratioColumn) {
            cells.add("");
        }
        return new Row(label, cells);
    }

    private static Row latency(String label, List<EndpointReport> endpoints, ToDoubleFunction<EndpointReport> value,
                               boolean ratioColumn) {
        List<String> cells = new ArrayList<>(endpoints.stream().map(e -> millis(value.applyAsDouble(e))).toList());
        if (endpoints.size() == 2) {
            double first = value.applyAsDouble(endpoints.get(0));
            double second = value.applyAsDouble(endpoints.get(1));
            cells.add(ratioColumn && first > 0 ? String.format(Locale.ROOT, "%.2f×", second / first) : "");
        }
        return new Row(label, cells);
    }

    private static String byType(Attribution attribution) {
        if (attribution.environmentsByInitType().isEmpty()) {
            return "-";
        }
        return attribution.environmentsByInitType().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
    }
}
