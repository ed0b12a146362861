package dev.initbench.bench.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lambda platform REPORT log line:
 * {@code REPORT RequestId: <id>\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used:
 * 98 MB\tInit Duration: 456.78 ms\t}. {@code Init Duration} appears only on the first invocation of an on-demand
 * environment; other fields (SnapStart restore, X-Ray) are ignored.
 *
 * @param initDurationMs empty when the line has no Init Duration
 */
public record ReportLine(String requestId, double durationMs, double billedDurationMs, int memorySizeMb,
                         int maxMemoryUsedMb, OptionalDouble initDurationMs) {

    private static final Pattern REQUEST_ID = Pattern.compile("^REPORT RequestId: (\\S+)");
    private static final Pattern FIELD = Pattern.compile("(?:^|\\t)\\s*([A-Za-z ]+): ([0-9.]+) (ms|MB)");

    /**
     * Reads a REPORT line; empty for any other log line (START, END, function output).
     *
     * @throws IllegalArgumentException for a line starting with "REPORT RequestId:" that lacks a required field,
     *                                  naming the line and the field
     */
    public static Optional<ReportLine> parse(String line) {
        if (line == null) {
            return Optional.empty();
        }
        String trimmed = line.strip();
        Matcher id = REQUEST_ID.matcher(trimmed);
        if (!id.find()) {
            return Optional.empty();
        }
        Double duration = null;
        Double billed = null;
        Double memorySize = null;
        Double maxMemory = null;
        Double init = null;
        Matcher field = FIELD.matcher(trimmed.substring(id.end()));
        while (field.find()) {
            double value = Double.parseDouble(field.group(2));
            switch (field.group(1).strip()) {
                case "Duration" -> duration = value;
                case "Billed Duration" -> billed = value;
                case "Memory Size" -> memorySize = value;
                case "Max Memory Used" -> maxMemory = value;
                case "Init Duration" -> init = value;
                default -> { }
            }
        }
        String missing = duration == null ? "Duration" : billed == null ? "Billed Duration"
                : memorySize == null ? "Memory Size" : maxMemory == null ? "Max Memory Used" : null;
        if (missing != null) {
            throw new IllegalArgumentException("REPORT line without '" + missing
                    + ": …': expected tab-separated 'Duration: … ms\\tBilled Duration: … ms\\tMemory Size: … MB\\t"
                    + "Max Memory Used: … MB' after the RequestId; got: " + line);
        }
        return Optional.of(new ReportLine(id.group(1), duration, billed, memorySize.intValue(), maxMemory.intValue(),
                init == null ? OptionalDouble.empty() : OptionalDouble.of(init)));
    }

    /** The REPORT lines among log lines, in order; other lines are skipped. */
    public static List<ReportLine> parseAll(Collection<String> lines) {
        List<ReportLine> reports = new ArrayList<>();
        for (String line : lines) {
            parse(line).ifPresent(reports::add);
        }
        return reports;
    }
}
