package dev.initbench.bench.cli;

import dev.initbench.bench.report.ReportText;
import java.util.Map;

/**
 * How wide the CLI's tables may be: the terminal's width when the shell exports it as {@code COLUMNS}, else
 * {@value ReportText#DEFAULT_WIDTH}. (A JVM cannot ask the terminal itself; bash sets {@code COLUMNS} but exports
 * it only when told: {@code export COLUMNS}.)
 */
final class ConsoleWidth {

    private ConsoleWidth() {
    }

    /** The width from the environment; an unset, unparsable or non-positive {@code COLUMNS} gives the default. */
    static int of(Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns != null) {
            try {
                int width = Integer.parseInt(columns.trim());
                if (width > 0) {
                    return Math.max(ReportText.MIN_WIDTH, width);
                }
            } catch (NumberFormatException notANumber) {
                // Fall through to the default: a garbled variable must not break the report.
            }
        }
        return ReportText.DEFAULT_WIDTH;
    }
}
