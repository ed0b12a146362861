package dev.initbench.bench.stats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local-cloud line written beside the AWS-format ones into an environment's log stream: what the environment's
 * process used of this host's CPUs. One per invocation, right after its REPORT line:
 * {@code HOSTCPU RequestId: <id>\tCPU: 12.3 ms\tCPU Wait: 4.5 ms\tWall: 20.1 ms\tFrozen: 0.0 ms\t}; one per
 * initialization: {@code HOSTCPU Init\tType: provisioned-concurrency\tCPU: …\tCPU Wait: …\tWall: …\t}. CPU is the
 * process's CPU time in the interval, CPU Wait the time its threads were runnable but waiting for a CPU (the
 * kernel's schedstat run delay), Wall the interval itself. AWS gives each environment its own CPU and writes no such
 * line.
 */
public sealed interface HostCpuLine {

    /** Prefix of every such line. */
    String PREFIX = "HOSTCPU ";

    double cpuMs();

    double cpuWaitMs();

    double wallMs();

    /** One invocation: delivery of the event to its outcome. */
    record Invocation(String requestId, double cpuMs, double cpuWaitMs, double wallMs, double frozenMs)
            implements HostCpuLine {
    }

    /** One initialization: process start to init done. */
    record Init(String initializationType, double cpuMs, double cpuWaitMs, double wallMs) implements HostCpuLine {
    }

    Pattern FIELD = Pattern.compile("([A-Za-z ]+): ([^\\t]+)");

    /**
     * Reads a HOSTCPU line; empty for any other log line.
     *
     * @throws IllegalArgumentException for a HOSTCPU line lacking a field, naming the line and the field
     */
    static Optional<HostCpuLine> parse(String line) {
        if (line == null || !line.strip().startsWith(PREFIX)) {
            return Optional.empty();
        }
        String body = line.strip().substring(PREFIX.length());
        boolean init = body.startsWith("Init\t") || body.equals("Init");
        Map<String, String> fields = new TreeMap<>();
        Matcher field = FIELD.matcher(init ? body.substring(4) : body);
        while (field.find()) {
            fields.put(field.group(1).strip(), field.group(2).strip());
        }
        if (init) {
            return Optional.of(new Init(required(fields, "Type", line), millis(fields, "CPU", line),
                    millis(fields, "CPU Wait", line), millis(fields, "Wall", line)));
        }
        return Optional.of(new Invocation(required(fields, "RequestId", line), millis(fields, "CPU", line),
                millis(fields, "CPU Wait", line), millis(fields, "Wall", line),
                fields.containsKey("Frozen") ? millis(fields, "Frozen", line) : 0));
    }

    /** The HOSTCPU lines among log lines, in order; other lines are skipped. */
    static List<HostCpuLine> parseAll(Collection<String> lines) {
        List<HostCpuLine> parsed = new ArrayList<>();
        for (String line : lines) {
            parse(line).ifPresent(parsed::add);
        }
        return parsed;
    }

    private static String required(Map<String, String> fields, String name, String line) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("HOSTCPU line without '" + name + ": …': expected 'HOSTCPU RequestId: <id>"
                    + "\\tCPU: … ms\\tCPU Wait: … ms\\tWall: … ms\\tFrozen: … ms' or 'HOSTCPU Init\\tType: <type>\\tCPU: …"
                    + " ms\\tCPU Wait: … ms\\tWall: … ms'; got: " + line);
        }
        return value;
    }

    private static double millis(Map<String, String> fields, String name, String line) {
        String value = required(fields, name, line);
        String number = value.endsWith(" ms") ? value.substring(0, value.length() - 3).strip() : null;
        try {
            if (number != null) {
                return Double.parseDouble(number);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("HOSTCPU line with '" + name + ": " + value + "': expected a number of"
                + " milliseconds like '12.3 ms'; got: " + line);
    }
}
