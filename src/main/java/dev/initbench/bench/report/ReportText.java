package dev.initbench.bench.report;

import java.util.ArrayList;
import java.util.List;

/** The run report as console text and as summary.md (fits a GitHub step summary). */
public final class ReportText {

    private ReportText() {
    }

    /** Width of console text when the terminal's is unknown: fits a 120-column terminal. */
    public static final int DEFAULT_WIDTH = 120;
    /** Narrowest width honoured: the row labels plus one column. */
    public static final int MIN_WIDTH = 60;

    /** The comparison table and budget verdicts for the CLI, in {@value #DEFAULT_WIDTH} columns. */
    public static String console(RunReport report) {
        return console(report, DEFAULT_WIDTH);
    }

    /**
     * The comparison table and budget verdicts for the CLI, no line longer than {@code width} (at least
     * {@value #MIN_WIDTH}): one block per phase scope, split further when its endpoints do not fit; each budget on
     * two lines, its verdict first, wrapped where needed.
     */
    public static String console(RunReport report, int width) {
        int fit = Math.max(MIN_WIDTH, width);
        ComparisonTable table = ComparisonTable.of(report);
        StringBuilder out = new StringBuilder();
        out.append(TextTables.wrap("run " + report.runId() + " on target " + report.target() + ", provisioned"
                + " concurrency " + report.settings().provisionedConcurrency() + "; latency from each request's"
                + " intended send time", fit, "", "  "));
        for (int g = 0; g < table.groups().size(); g++) {
            out.append('\n').append(TextTables.plain(table.headerOf(g), table.rowsOf(g), fit));
        }
        if (report.hostLoad() != null) {
            out.append('\n').append(TextTables.wrap(HostLoadTable.heading(report.hostLoad()), fit, "", "  "));
            if (report.hostLoad().measured()) {
                out.append(TextTables.plain(HostLoadTable.header(report.hostLoad()),
                        HostLoadTable.rows(report.hostLoad()), fit));
            }
        }
        if (report.capacityCheck() != null) {
            out.append(TextTables.wrap(report.capacityCheck().summary(), fit, "", "  "));
        }
        if (report.validity() != null) {
            out.append('\n').append(TextTables.wrap(report.validity().summary(), fit, "", "  "));
        }
        if (!report.budgets().isEmpty()) {
            out.append(report.valid() ? "\nbudgets\n" : "\nbudgets (not judged: "
                    + report.validity().status().budgetsNotJudgedBecause() + ")\n");
            for (BudgetVerdict budget : report.budgets()) {
                String verdict = verdict(report, budget, false);
                out.append(TextTables.wrap(budget.displayName(), fit, "  " + verdict + "  ", "        "));
                out.append(TextTables.wrap("expected " + budget.expected() + "; actual " + budget.actual(), fit,
                        "        ", "          "));
            }
        }
        return out.toString();
    }

    /** summary.md: verdict headline, comparison table, budgets, reconciliation problems. */
    public static String markdown(RunReport report) {
        ComparisonTable table = ComparisonTable.of(report);
        StringBuilder out = new StringBuilder();
        out.append("## lambda-init-bench ").append(!report.valid() ? "⚠️ " + report.validity().status().label()
                : report.passed() ? "✅ passed" : "❌ failed").append("\n\n");
        out.append("Run ").append(TextTables.escapeMarkdown(report.runId()))
                .append(" on target **").append(TextTables.escapeMarkdown(report.target()))
                .append("**, ").append(TextTables.escapeMarkdown(report.startedAt())).append(" → ")
                .append(TextTables.escapeMarkdown(report.finishedAt())).append(", provisioned concurrency ")
                .append(report.settings().provisionedConcurrency()).append(", phases ")
                .append(TextTables.escapeMarkdown(phases(report.settings().phases()))).append(".\n\n");
        out.append("Latency is measured from each request's intended send time (open model).\n\n");
        for (int g = 0; g < table.groups().size(); g++) {
            out.append(TextTables.markdown(table.headerOf(g), table.rowsOf(g))).append('\n');
        }
        if (report.hostLoad() != null) {
            out.append("### Host load\n\n").append(TextTables.escapeMarkdown(HostLoadTable.heading(report.hostLoad())))
                    .append(".\n\n");
            if (report.hostLoad().measured()) {
                out.append(TextTables.markdown(HostLoadTable.header(report.hostLoad()),
                        HostLoadTable.rows(report.hostLoad()))).append('\n');
            }
        }
        if (report.capacityCheck() != null) {
            out.append(TextTables.escapeMarkdown(report.capacityCheck().summary())).append(".\n\n");
        }
        if (report.validity() != null) {
            out.append("### Validity\n\n").append(TextTables.escapeMarkdown(report.validity().summary()))
                    .append(".\n\n");
        }
        if (!report.budgets().isEmpty()) {
            out.append(report.valid() ? "### Budgets\n\n" : "### Budgets (not judged: "
                    + report.validity().status().budgetsNotJudgedBecause() + ")\n\n");
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
    public static String phases(List<RunSettings.PhaseSettings> phases) {
        List<String> parts = new ArrayList<>();
        for (RunSettings.PhaseSettings phase : phases) {
            parts.add(phase.name() + " " + number(phase.arrivalRatePerSecond()) + "/s × "
                    + number(phase.durationSeconds()) + " s");
        }
        return String.join(", ", parts);
    }

    static List<List<String>> budgetRows(RunReport report, boolean symbols) {
        List<List<String>> rows = new ArrayList<>();
        for (BudgetVerdict budget : report.budgets()) {
            rows.add(List.of(budget.displayName(), budget.expected(), budget.actual(), verdict(report, budget, symbols)));
        }
        return rows;
    }

    /** A budget's verdict; "not judged" in an invalid run, whose numbers are the host's. */
    static String verdict(RunReport report, BudgetVerdict budget, boolean symbols) {
        if (!report.valid()) {
            return "not judged";
        }
        return symbols ? (budget.passed() ? "✅ pass" : "❌ FAIL") : (budget.passed() ? "pass" : "FAIL");
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
