package dev.initbench.bench.report;

import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.stats.CpuContention;
import dev.initbench.bench.stats.LatencyPercentiles.Percentile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The endpoints of one run side by side, as plain cells that the console, Markdown and HTML renderers format.
 * Metrics are rows and endpoints are columns, grouped by load phase: an endpoint reported as
 * {@code <strategy>.<phase>} (e.g. {@code eager.scale-out}) is column {@code eager} of group {@code scale-out}, any
 * other endpoint is a column of the first group, which covers the remaining phases. So N strategies give one group
 * of N columns per phase scope, and a renderer can wrap groups (or split one) to fit a width. A group of exactly two
 * endpoints gets a third column: the second's value over the first's, for latencies both endpoints measured (0 means
 * no samples, e.g. no first invocation in the phase).
 *
 * @param groups the column groups, the first one covering the phases no endpoint name claims
 * @param rows   the rows; each row's cells run across all groups' columns in order
 */
public record ComparisonTable(List<Group> groups, List<Row> rows) {

    /**
     * Columns of one phase scope.
     *
     * @param title   the phases it covers, e.g. "steady 3/s × 60 s"
     * @param columns column titles: the endpoints (strategy names), then the ratio column if any
     */
    public record Group(String title, List<String> columns) {
        public Group {
            columns = List.copyOf(columns);
        }
    }

    /** One row: a label and one cell per column of every group, in group order. */
    public record Row(String label, List<String> cells) {
        public Row {
            cells = List.copyOf(cells);
        }

        /** This row's cells in the given group. */
        public List<String> cells(ComparisonTable table, int group) {
            int from = 0;
            for (int g = 0; g < group; g++) {
                from += table.groups().get(g).columns().size();
            }
            return cells.subList(from, from + table.groups().get(group).columns().size());
        }
    }

    public ComparisonTable {
        groups = List.copyOf(groups);
        rows = List.copyOf(rows);
    }

    public static ComparisonTable of(RunReport report) {
        List<List<EndpointReport>> members = new ArrayList<>();
        List<Group> groups = new ArrayList<>();
        groupByPhase(report).forEach((title, endpoints) -> {
            List<String> columns = new ArrayList<>(endpoints.keySet());
            List<EndpointReport> group = List.copyOf(endpoints.values());
            if (group.size() == 2) {
                columns.add(columns.get(1) + " / " + columns.get(0));
            }
            groups.add(new Group(title, columns));
            members.add(group);
        });
        Metrics metrics = new Metrics(members);
        List<Row> rows = new ArrayList<>();
        rows.add(metrics.text("requests", e -> Long.toString(e.requests())));
        for (Outcome outcome : Outcome.values()) {
            rows.add(metrics.text(outcome.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    e -> Long.toString(e.count(outcome))));
        }
        for (Percentile percentile : Percentile.values()) {
            rows.add(metrics.latency(percentile.label() + " ms (all requests)", e -> e.latencyMs().valueMs(percentile),
                    true));
        }
        rows.add(metrics.latency("first invocations p50 ms", e -> e.firstInvocationLatencyMs().p50Ms(), true));
        rows.add(metrics.latency("first invocations max ms", e -> e.firstInvocationLatencyMs().maxMs(), true));
        rows.add(metrics.latency("later invocations p99 ms", e -> e.laterInvocationLatencyMs().p99Ms(), true));
        rows.add(metrics.text("environments touched", e -> Long.toString(e.attribution().environmentsTouched())));
        Set<String> initTypes = new TreeSet<>();
        report.endpoints().forEach(e -> initTypes.addAll(e.attribution().environmentsByInitType().keySet()));
        for (String initType : initTypes) {
            rows.add(metrics.text("  " + initType, e -> Long.toString(
                    e.attribution().environmentsByInitType().getOrDefault(initType, 0L))));
        }
        rows.add(metrics.text("on-demand cold starts", e -> Long.toString(e.attribution().onDemandColdStarts())));
        rows.add(metrics.text("first invocations (paying setup)", e -> e.attribution().firstInvocations() + " ("
                + e.attribution().firstInvocationsWithSetup() + ")"));
        rows.add(metrics.latency("mean setup in first invocation ms", e -> e.attribution().meanSetupInFirstInvocationMs(),
                false));
        rows.add(metrics.latency("mean handler init ms", e -> e.attribution().meanInitDurationMs(), false));
        if (report.endpoints().stream().anyMatch(e -> e.reconciliation() != null)) {
            rows.add(metrics.text("REPORT lines matched", e -> e.reconciliation() == null ? "not read"
                    : e.reconciliation().matched() + "/" + e.reconciliation().responses()));
            rows.add(metrics.text("on-demand Init Duration max ms", e -> e.reconciliation() == null ? "not read"
                    : millis(e.reconciliation().onDemandInitDurationsMs().stream().mapToDouble(Double::doubleValue)
                    .max().orElse(0))));
        }
        if (report.endpoints().stream().anyMatch(e -> e.cpuContention() != null)) {
            rows.add(metrics.text("CPU wait % of latency, first inv.", e -> cpuWait(e, CpuContention::firstInvocations)));
            rows.add(metrics.text("CPU wait % of latency, later inv.", e -> cpuWait(e, CpuContention::laterInvocations)));
            rows.add(metrics.text("mean CPU ms, first invocation", e -> e.cpuContention() == null
                    || !e.cpuContention().measured() ? NOT_MEASURED
                    : millis(e.cpuContention().firstInvocations().meanCpuMs())));
        }
        return new ComparisonTable(groups, rows);
    }

    /** Cell of a figure the target does not give (CPU wait on AWS). */
    static final String NOT_MEASURED = "not measured";

    private static String cpuWait(EndpointReport endpoint, Function<CpuContention, CpuContention.Share> scope) {
        CpuContention contention = endpoint.cpuContention();
        if (contention == null || !contention.measured()) {
            return NOT_MEASURED;
        }
        CpuContention.Share share = scope.apply(contention);
        return share.requests() == 0 ? "-" : share.percent();
    }

    /** Formats milliseconds with one decimal. */
    public static String millis(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** Group title → (column title → endpoint), in the order of the report's phases. */
    private static Map<String, Map<String, EndpointReport>> groupByPhase(RunReport report) {
        List<String> phaseNames = report.settings().phases().stream().map(RunSettings.PhaseSettings::name).toList();
        Map<String, Map<String, EndpointReport>> byPhase = new LinkedHashMap<>();
        Map<String, EndpointReport> unscoped = new LinkedHashMap<>();
        for (EndpointReport endpoint : report.endpoints()) {
            int dot = endpoint.name().lastIndexOf('.');
            String phase = dot > 0 ? endpoint.name().substring(dot + 1) : null;
            if (phase != null && phaseNames.contains(phase)) {
                byPhase.computeIfAbsent(phase, p -> new LinkedHashMap<>())
                        .put(endpoint.name().substring(0, dot), endpoint);
            } else {
                unscoped.put(endpoint.name(), endpoint);
            }
        }
        Map<String, Map<String, EndpointReport>> groups = new LinkedHashMap<>();
        if (!unscoped.isEmpty()) {
            List<RunSettings.PhaseSettings> rest = report.settings().phases().stream()
                    .filter(p -> !byPhase.containsKey(p.name())).toList();
            groups.put(rest.isEmpty() ? "all phases" : phaseList(rest), unscoped);
        }
        for (RunSettings.PhaseSettings phase : report.settings().phases()) {
            if (byPhase.containsKey(phase.name())) {
                groups.put(phaseList(List.of(phase)), byPhase.get(phase.name()));
            }
        }
        return groups;
    }

    private static String phaseList(List<RunSettings.PhaseSettings> phases) {
        return ReportText.phases(phases);
    }

    /** Builds rows across all groups, adding each two-endpoint group's ratio cell. */
    private record Metrics(List<List<EndpointReport>> groups) {

        Row text(String label, Function<EndpointReport, String> cell) {
            List<String> cells = new ArrayList<>();
            for (List<EndpointReport> group : groups) {
                group.forEach(e -> cells.add(cell.apply(e)));
                if (group.size() == 2) {
                    cells.add("");
                }
            }
            return new Row(label, cells);
        }

        Row latency(String label, ToDoubleFunction<EndpointReport> value, boolean ratio) {
            List<String> cells = new ArrayList<>();
            for (List<EndpointReport> group : groups) {
                group.forEach(e -> cells.add(millis(value.applyAsDouble(e))));
                if (group.size() == 2) {
                    double first = value.applyAsDouble(group.get(0));
                    double second = value.applyAsDouble(group.get(1));
                    boolean measured = first > 0 && second > 0;
                    cells.add(ratio && measured ? String.format(Locale.ROOT, "%.2f×", second / first) : "");
                }
            }
            return new Row(label, cells);
        }
    }

    /** The table's cells of one group as rows of strings, each led by its label (for the text renderers). */
    List<List<String>> rowsOf(int group) {
        return rows.stream().map(row -> {
            List<String> cells = new ArrayList<>();
            cells.add(row.label());
            cells.addAll(row.cells(this, group));
            return cells;
        }).collect(Collectors.toList());
    }

    /** The header of one group: its title over the labels, then its column titles. */
    List<String> headerOf(int group) {
        List<String> header = new ArrayList<>();
        header.add(groups.get(group).title());
        header.addAll(groups.get(group).columns());
        return header;
    }
}
