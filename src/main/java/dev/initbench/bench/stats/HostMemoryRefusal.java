package dev.initbench.bench.stats;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local-cloud line in a function's log group: the host's memory could not hold another execution environment,
 * so the local cloud did not start it: {@code HOSTMEMORY Refused\tType: on-demand\tAvailable: 812 MB\tStarting:
 * 150 MB\tNeeded: 150 MB\tFloor: 1024 MB\t}. An on-demand refusal is an invocation the local cloud throttled (429):
 * the host's answer, not the function's. AWS has no such limit and writes no such line.
 *
 * @param initializationType {@code on-demand} (a throttled invocation) or {@code provisioned-concurrency} (a failed
 *                           provisioned start)
 * @param availableMb        the host's MemAvailable at the refusal
 * @param startingMb         memory promised to environments still starting
 * @param neededMb           what the environment would have needed
 * @param floorMb            memory the local cloud keeps free
 */
public record HostMemoryRefusal(String initializationType, long availableMb, long startingMb, long neededMb,
                                long floorMb) {

    /** Prefix of every such line. */
    public static final String PREFIX = "HOSTMEMORY ";

    private static final Pattern FIELD = Pattern.compile("([A-Za-z ]+): (\\d+ MB|[^\\t]+)");

    /** Whether it throttled an invocation (an on-demand start), rather than failing a provisioned one. */
    public boolean throttledInvocation() {
        return "on-demand".equals(initializationType);
    }

    /**
     * Reads a HOSTMEMORY line; empty for any other log line.
     *
     * @throws IllegalArgumentException for a HOSTMEMORY line lacking a field, naming the line and the field
     */
    public static Optional<HostMemoryRefusal> parse(String line) {
        if (line == null || !line.strip().startsWith(PREFIX + "Refused")) {
            return Optional.empty();
        }
        Map<String, String> fields = new TreeMap<>();
        Matcher field = FIELD.matcher(line.strip().substring((PREFIX + "Refused").length()));
        while (field.find()) {
            fields.put(field.group(1).strip(), field.group(2).strip());
        }
        return Optional.of(new HostMemoryRefusal(required(fields, "Type", line), megabytes(fields, "Available", line),
                megabytes(fields, "Starting", line), megabytes(fields, "Needed", line),
                megabytes(fields, "Floor", line)));
    }

    private static String required(Map<String, String> fields, String name, String line) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("HOSTMEMORY line without " + name + ": " + line);
        }
        return value;
    }

    private static long megabytes(Map<String, String> fields, String name, String line) {
        String value = required(fields, name, line);
        if (!value.endsWith(" MB")) {
            throw new IllegalArgumentException("HOSTMEMORY line's " + name + " is not in MB: " + line);
        }
        try {
            return Long.parseLong(value.substring(0, value.length() - 3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("HOSTMEMORY line's " + name + " is not a number: " + line, e);
        }
    }
}
