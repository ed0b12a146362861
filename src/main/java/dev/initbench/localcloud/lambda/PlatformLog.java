package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.logs.LogStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * One environment's log stream in {@code /aws/lambda/<function>}: the function's own output and the platform lines
 * (INIT_START, INIT_REPORT, START, END, REPORT) in AWS's text format. Other per-invocation records (such as CPU
 * accounting) belong in their own lines or series beside these, so the REPORT format stays AWS's.
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
        append(String.format(Locale.ROOT, "INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: %s",
                initDurationMs, status));
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
        long billed = (long) Math.ceil(durationMs + initDurationMs.orElse(0));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\t"
                        + "Max Memory Used: %d MB\t", requestId, durationMs, billed, memorySizeMb, maxMemoryUsedMb));
        initDurationMs.ifPresent(init -> line.append(String.format(Locale.ROOT, "Init Duration: %.2f ms\t", init)));
        append(line.toString());
    }

    /** Logs and returns the timeout message. */
    String timedOut(String requestId, int timeoutSeconds) {
        String message = String.format(Locale.ROOT, "RequestId: %s Error: Task timed out after %.2f seconds",
                requestId, (double) timeoutSeconds);
        append(Instant.now() + " " + message);
        return message;
    }

    /** The runtime process ended without being asked to. */
    void runtimeExited(String requestId, String description) {
        append("RequestId: " + requestId + " Error: Runtime exited with error: " + description + "\nRuntime.ExitError");
    }
}
