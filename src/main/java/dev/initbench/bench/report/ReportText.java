package dev.initbench.bench.report;

import java.util.ArrayList;
import java.util.List;

/** The run report as console text and as summary.md (fits a GitHub step summary). */
public final class ReportText {

    private ReportText() {
    }

    /** The comparison table and budget verdicts, for the CLI. */
    public static String console(RunReport report) {
        ComparisonTable table = ComparisonTable.of(report);
        StringBuilder out = new StringBuilder();
        out.append("run ").append(report.runId()).append(" on target ").append(report.target()).append('\n');
        out.append(TextTables.plain(table.header(), cells(table))).append('\n');
        if (!report.budgets().isEmpty()) {
            out.append(TextTables.plain(List.of("budget", "expected", "actual", "verdict"), budgetRows(report, false)));
        }
        return out.toString();
    }

    /** summary.md: verdict headline, comparison table, budgets, reconciliation problems. */
    public static String markdown(RunReport report) {
        ComparisonTable table = ComparisonTable.of(report);
        StringBuilder out = new StringBuilder();
        out.append("## lambda-init-bench ").append(report.passed() ? "✅ passed" : "❌ failed").append("\n\n");
        out.append("Run ").append(TextTables.escapeMarkdown(report.runId()))
                .append(" on target **").append(TextTables.escapeMarkdown(report.target()))
                .append("**, ").append(TextTables.escapeMarkdown(report.startedAt())).append(" → ")
                .append(TextTables.escapeMarkdown(report.finishedAt())).append(", provisioned concurrency ")
                .append(report.settings().provisionedConcurrency()).append(", phases ")
                .append(TextTables.escapeMarkdown(phases(report.settings()))).append(".\n\n");
        out.append("Latency is measured from each request's intended send time (open model).\n\n");
        out.append(TextTables.markdown(table.header(), cells(table))).append('\n');
        if (!report.budgets().isEmpty()) {
            out.append("### Budgets\n\n");
            out.append(TextTables.markdown(List.of("budget", "expected", "actual", "verdict"), budgetRows(report, true)));
            out.append('\n');
        }
        List<String> problems = new ArrayList<>();
        for (EndpointReport endpoint : report.endpoints()) {
            if (endpoint.reconciliation() != null) {
                endpoint.reconciliation().problems().forEach(p -> problems.add(endpoint.name() + ": " + p));
            }
        }
        if (!problems.isEmpty()) {
            out.append("### REPORT log lines disagree with responses\n\n");
            problems.forEach(p -> out.append("- ").append(TextTables.escapeMarkdown(p)).append('\n'));
            out.append('\n');
        }
        return out.toString();
    }

    /** "steady 10/s × 60 s, burst 40/s × 10 s". */
    public static String phases(RunSettings settings) {
        List<String> parts = new ArrayList<>();
        for (RunSettings.PhaseSettings phase : settings.phases()) {
            parts.add(phase.name() + " " + number(phase.arrivalRatePerSecond()) + "/s × "
                    + number(phase.durationSeconds()) + " s");
        }
        return String.join(", ", parts);
    }

    static List<List<String>> cells(ComparisonTable table) {
        List<List<String>> rows = new ArrayList<>();
        for (ComparisonTable.Row row : table.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.label());
            cells.addAll(row.cells());
            rows.add(cells);
        }
        return rows;
    }

    static List<List<String>> budgetRows(RunReport report, boolean symbols) {
        List<List<String>> rows = new ArrayList<>();
        for (BudgetVerdict budget : report.budgets()) {
            String verdict = symbols ? (budget.passed() ? "✅ pass" : "❌ FAIL") : (budget.passed() ? "pass" : "FAIL");
            rows.add(List.of(budget.displayName(), budget.expected(), budget.actual(), verdict));
        }
        return rows;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
