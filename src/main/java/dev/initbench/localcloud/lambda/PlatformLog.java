package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.logs.LogStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
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

    /**
     * The invocation's host CPU accounting, right after its REPORT line. The benchmark parses this exact format:
     * {@code HOSTCPU RequestId: <id>\tCPU: <ms> ms\tCPU Wait: <ms> ms\tWall: <ms> ms\tFrozen: <ms> ms\t}.
     */
    void hostCpu(String requestId, HostCpu usage) {
        append(String.format(Locale.ROOT, "HOSTCPU RequestId: %s\tCPU: %.1f ms\tCPU Wait: %.1f ms\tWall: %.1f ms\t"
                + "Frozen: %.1f ms\t", requestId, usage.cpuMs(), usage.cpuWaitMs(), usage.wallMs(), usage.frozenMs()));
    }

    /**
     * The init's host CPU accounting, at the init's end (after INIT_REPORT when there is one), in this exact format:
     * {@code HOSTCPU Init\tType: <on-demand|provisioned-concurrency>\tCPU: <ms> ms\tCPU Wait: <ms> ms\tWall: <ms> ms\t}.
     */
    void hostCpuInit(InitializationType type, HostCpu usage) {
        append(String.format(Locale.ROOT, "HOSTCPU Init\tType: %s\tCPU: %.1f ms\tCPU Wait: %.1f ms\tWall: %.1f ms\t",
                type.value(), usage.cpuMs(), usage.cpuWaitMs(), usage.wallMs()));
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
