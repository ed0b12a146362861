package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.logs.LogStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.OptionalDouble;

/**
 * One environment's log stream in {@code /aws/lambda/<function>}: the function's own output and the platform lines
 * (INIT_START, INIT_REPORT, START, END, REPORT) in AWS's text format. The host's CPU accounting of each invocation
 * and init goes in a {@code HOSTCPU} line of its own beside them (not in them), so the AWS lines stay AWS's.
 */
final class PlatformLog {

    private static final DateTimeFormatter STREAM_DATE =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final LogStore logs;
    private final String group;
    private final String stream;

    PlatformLog(LogStore logs, FunctionVersion function, String environmentId) {
        this.logs = logs;
        this.group = "/aws/lambda/" + function.functionName();
        this.stream = STREAM_DATE.format(Instant.now()) + "/[" + function.version() + "]" + environmentId;
    }

    String group() {
        return group;
    }

    String stream() {
        return stream;
    }

    /** A line of the function's own output, or a platform line. */
    void append(String line) {
        logs.append(group, stream, System.currentTimeMillis(), line);
    }

    void initStart(String description) {
        append("INIT_START " + description);
    }

    /** @param status {@code timeout}, or {@code error\tError Type: ...} */
    void initReport(double initDurationMs, String status) {
        append(initReportLine(initDurationMs, status));
    }

    static String initReportLine(double initDurationMs, String status) {
        StringBuilder line = new StringBuilder(80).append("INIT_REPORT Init Duration: ");
        return appendFixed(line, initDurationMs, 2).append(" ms\tPhase: init\tStatus: ").append(status).toString();
    }

    void start(String requestId, String version) {
        append("START RequestId: " + requestId + " Version: " + version);
    }

    void end(String requestId) {
        append("END RequestId: " + requestId);
    }

    /** The REPORT line; {@code initDurationMs} only on an on-demand environment's first invocation. */
    void report(String requestId, double durationMs, int memorySizeMb, long maxMemoryUsedMb,
                OptionalDouble initDurationMs) {
        append(reportLine(requestId, durationMs, memorySizeMb, maxMemoryUsedMb, initDurationMs));
    }

    static String reportLine(String requestId, double durationMs, int memorySizeMb, long maxMemoryUsedMb,
                             OptionalDouble initDurationMs) {
        long billed = (long) Math.ceil(durationMs + initDurationMs.orElse(0));
        StringBuilder line = new StringBuilder(160).append("REPORT RequestId: ").append(requestId)
                .append("\tDuration: ");
        appendFixed(line, durationMs, 2).append(" ms\tBilled Duration: ").append(billed)
                .append(" ms\tMemory Size: ").append(memorySizeMb).append(" MB\tMax Memory Used: ")
                .append(maxMemoryUsedMb).append(" MB\t");
        if (initDurationMs.isPresent()) {
            appendFixed(line.append("Init Duration: "), initDurationMs.getAsDouble(), 2).append(" ms\t");
        }
        return line.toString();
    }

    /**
     * The invocation's host CPU accounting, right after its REPORT line. The benchmark parses this exact format:
     * {@code HOSTCPU RequestId: <id>\tCPU: <ms> ms\tCPU Wait: <ms> ms\tWall: <ms> ms\tFrozen: <ms> ms\t}.
     */
    void hostCpu(String requestId, HostCpu usage) {
        append(hostCpuLine(requestId, usage));
    }

    static String hostCpuLine(String requestId, HostCpu usage) {
        StringBuilder line = new StringBuilder(120).append("HOSTCPU RequestId: ").append(requestId)
                .append("\tCPU: ");
        appendFixed(line, usage.cpuMs(), 1).append(" ms\tCPU Wait: ");
        appendFixed(line, usage.cpuWaitMs(), 1).append(" ms\tWall: ");
        appendFixed(line, usage.wallMs(), 1).append(" ms\tFrozen: ");
        return appendFixed(line, usage.frozenMs(), 1).append(" ms\t").toString();
    }

    /**
     * The init's host CPU accounting, at the init's end (after INIT_REPORT when there is one), in this exact format:
     * {@code HOSTCPU Init\tType: <on-demand|provisioned-concurrency>\tCPU: <ms> ms\tCPU Wait: <ms> ms\tWall: <ms> ms\t}.
     */
    void hostCpuInit(InitializationType type, HostCpu usage) {
        append(hostCpuInitLine(type, usage));
    }

    static String hostCpuInitLine(InitializationType type, HostCpu usage) {
        StringBuilder line = new StringBuilder(100).append("HOSTCPU Init\tType: ").append(type.value())
                .append("\tCPU: ");
        appendFixed(line, usage.cpuMs(), 1).append(" ms\tCPU Wait: ");
        appendFixed(line, usage.cpuWaitMs(), 1).append(" ms\tWall: ");
        return appendFixed(line, usage.wallMs(), 1).append(" ms\t").toString();
    }

    /** Logs and returns the timeout message. */
    String timedOut(String requestId, int timeoutSeconds) {
        String message = timedOutMessage(requestId, timeoutSeconds);
        append(Instant.now() + " " + message);
        return message;
    }

    static String timedOutMessage(String requestId, int timeoutSeconds) {
        StringBuilder message = new StringBuilder(80).append("RequestId: ").append(requestId)
                .append(" Error: Task timed out after ");
        return appendFixed(message, timeoutSeconds, 2).append(" seconds").toString();
    }

    /**
     * Appends {@code value} with {@code scale} fraction digits exactly as
     * {@code String.format(Locale.ROOT, "%.<scale>f")} does, without its pattern parsing and formatter objects (this
     * runs several times per invocation): the JDK rounds the shortest decimal that identifies the double (the digits
     * of {@link Double#toString}) half up, so this does too; rounding the binary value instead would differ (1.005 is
     * 1.00499999… in binary; the JDK prints 1.01).
     */
    static StringBuilder appendFixed(StringBuilder out, double value, int scale) {
        if (Double.isNaN(value)) {
            return out.append("NaN");
        }
        if (Double.compare(value, 0.0) < 0) { // -0.0 too, as the JDK prints "-0.00"
            out.append('-');
        }
        double magnitude = Math.abs(value);
        if (Double.isInfinite(magnitude)) {
            return out.append("Infinity");
        }
        String shortest = Double.toString(magnitude); // "123.456" or "1.23456E10" / "1.0E-5"
        int exponentAt = shortest.indexOf('E');
        String mantissa = exponentAt < 0 ? shortest : shortest.substring(0, exponentAt);
        int dot = mantissa.indexOf('.');
        int point = dot + (exponentAt < 0 ? 0 : Integer.parseInt(shortest, exponentAt + 1, shortest.length(), 10));
        char[] digits = new char[mantissa.length() - 1];
        mantissa.getChars(0, dot, digits, 0);
        mantissa.getChars(dot + 1, mantissa.length(), digits, dot);
        // digits × 10^(point - digits.length): keep `kept` digits, rounding half up on the next one.
        int kept = point + scale;
        boolean roundUp = kept >= 0 && kept < digits.length && digits[kept] >= '5';
        int length = Math.max(0, Math.min(kept, digits.length));
        if (roundUp) {
            int at = length - 1;
            while (at >= 0 && digits[at] == '9') {
                digits[at--] = '0';
            }
            if (at >= 0) {
                digits[at]++;
            } else { // all nines (or nothing kept): one more leading digit
                char[] carried = new char[length + 1];
                carried[0] = '1';
                System.arraycopy(digits, 0, carried, 1, length);
                digits = carried;
                length++;
                point++;
            }
        }
        // The integer part: digits before the point (zero-padded when the point lies beyond them).
        if (point <= 0) {
            out.append('0');
        } else {
            boolean leading = true;
            for (int i = 0; i < point; i++) {
                char digit = i < length ? digits[i] : '0';
                if (leading && digit == '0' && i < point - 1) {
                    continue;
                }
                leading = false;
                out.append(digit);
            }
        }
        if (scale > 0) {
            out.append('.');
            for (int i = point; i < point + scale; i++) {
                out.append(i >= 0 && i < length ? digits[i] : '0');
            }
        }
        return out;
    }

    /** The runtime process ended without being asked to. */
    void runtimeExited(String requestId, String description) {
        append("RequestId: " + requestId + " Error: Runtime exited with error: " + description + "\nRuntime.ExitError");
    }
}
