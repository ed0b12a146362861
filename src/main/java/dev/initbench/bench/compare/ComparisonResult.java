package dev.initbench.bench.compare;

import dev.initbench.bench.report.TextTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code compare}: a status with its exit code, the per-percentile comparisons, notes, and renderings
 * for the console and for a GitHub step summary.
 *
 * @param status      the decision
 * @param message     one line saying it (for invalid input: what is wrong and how to fix it)
 * @param comparisons one row per endpoint and percentile (empty for invalid input)
 * @param notes       differences worth knowing that do not block the comparison
 * @param threshold   the relative threshold used
 * @param confidence  the confidence level of the intervals
 */
public record ComparisonResult(Status status, String message, List<PercentileComparison> comparisons,
                               List<String> notes, double threshold, double confidence) {

    /** The decision, with the CLI's exit code. */
    public enum Status {
        NO_REGRESSION(0), REGRESSION(1), INVALID_INPUT(2);

        private final int exitCode;

        Status(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public ComparisonResult {
        comparisons = List.copyOf(comparisons);
        notes = List.copyOf(notes);
    }

    static ComparisonResult invalid(String message, double threshold, double confidence) {
        return new ComparisonResult(Status.INVALID_INPUT, message, List.of(), List.of(), threshold, confidence);
    }

    /** 0 no regression, 1 regression, 2 invalid input. */
    public int exitCode() {
        return status.exitCode();
    }

    public List<PercentileComparison> regressions() {
        return comparisons.stream().filter(c -> c.verdict() == PercentileComparison.Verdict.REGRESSION).toList();
    }

    /** Plain-text table and message for the console. */
    public String table() {
        StringBuilder out = new StringBuilder();
        if (!comparisons.isEmpty()) {
            out.append(TextTables.plain(header(), rows()));
        }
        out.append(message).append('\n');
        notes.forEach(note -> out.append("note: ").append(note).append('\n'));
        return out.toString();
    }

    /** Markdown for a GitHub step summary or an issue body. */
    public String markdown() {
        StringBuilder out = new StringBuilder("### lambda-init-bench comparison: ");
        out.append(switch (status) {
            case NO_REGRESSION -> "✅ no regression";
            case REGRESSION -> "❌ regression";
            case INVALID_INPUT -> "⚠️ invalid input";
        }).append("\n\n").append(TextTables.escapeMarkdown(message)).append("\n\n");
        if (!comparisons.isEmpty()) {
            out.append(TextTables.markdown(header(), rows())).append('\n');
            out.append(TextTables.escapeMarkdown(String.format(Locale.ROOT,
                    "A percentile regresses when the whole %.0f %% bootstrap confidence interval of (current − baseline)"
                            + " lies above %.0f %% of the baseline value.", confidence * 100, threshold * 100)))
                    .append("\n\n");
        }
        notes.forEach(note -> out.append("- ").append(TextTables.escapeMarkdown(note)).append('\n'));
        return out.toString();
    }

    private List<String> header() {
        return List.of("endpoint", "percentile", "baseline ms", "current ms", "change",
                String.format(Locale.ROOT, "%.0f%% CI of change ms", confidence * 100), "threshold ms", "verdict");
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (PercentileComparison c : comparisons) {
            boolean tested = c.verdict() != PercentileComparison.Verdict.NOT_TESTED;
            rows.add(List.of(c.endpoint(), c.percentile(), ms(c.baselineMs()), ms(c.currentMs()),
                    c.baselineMs() > 0 ? String.format(Locale.ROOT, "%+.1f%%", 100 * c.differenceMs() / c.baselineMs()) : "",
                    tested ? "[" + signedMs(c.ciLowMs()) + ", " + signedMs(c.ciHighMs()) + "]" : "",
                    tested ? ms(c.thresholdMs()) : "",
                    c.verdict().name().toLowerCase(Locale.ROOT).replace('_', ' ')));
        }
        return rows;
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String signedMs(double value) {
        return String.format(Locale.ROOT, "%+.1f", value);
    }
}
