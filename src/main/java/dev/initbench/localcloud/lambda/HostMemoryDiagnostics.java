package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.logs.LogStore;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Says where a start the {@link HostMemoryGuard} refused can be seen: one {@code HOSTMEMORY} line per refusal in the
 * function's log group (stream {@code <date>/[<version>]host-memory}, beside the environments' streams), which the
 * benchmark reads like the {@code HOSTCPU} lines, and a warning in the local cloud's own log, at most one per
 * {@link #WARNING_INTERVAL_NANOS} with the count since the last (a runaway burst is refused thousands of times).
 * The line, tab-separated:
 * {@code HOSTMEMORY Refused\tType: on-demand\tAvailable: 812 MB\tStarting: 150 MB\tNeeded: 150 MB\tFloor: 1024 MB\t}
 * (an on-demand refusal is a throttled invocation; a provisioned one failed its configuration). AWS writes no such
 * line: it has no such limit. Thread-safe.
 */
final class HostMemoryDiagnostics {

    /** Prefix of every such line. */
    static final String PREFIX = "HOSTMEMORY ";

    private static final System.Logger LOG = System.getLogger(HostMemoryGuard.class.getName());
    private static final long WARNING_INTERVAL_NANOS = 10_000_000_000L;
    private static final DateTimeFormatter STREAM_DATE =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final LogStore logs;
    /** Guarded by {@code this}. */
    private long lastWarningNanos;
    private boolean warned;
    private long refusedSinceWarning;

    HostMemoryDiagnostics(LogStore logs) {
        this.logs = logs;
    }

    /** Records one refused start of an environment of {@code function}. */
    void refused(FunctionVersion function, InitializationType type, HostMemoryShortage shortage) {
        logs.append("/aws/lambda/" + function.functionName(), STREAM_DATE.format(Instant.now()) + "/["
                + function.version() + "]host-memory", System.currentTimeMillis(), line(type, shortage));
        String warning = null;
        synchronized (this) {
            refusedSinceWarning++;
            long now = System.nanoTime();
            if (!warned || now - lastWarningNanos >= WARNING_INTERVAL_NANOS) {
                warning = String.format(Locale.ROOT, "local Lambda: %d %s start(s) refused%s, the last of %s: %s",
                        refusedSinceWarning, type.value(), warned ? " in the last 10 s" : "",
                        function.versionArn(), shortage.getMessage());
                warned = true;
                lastWarningNanos = now;
                refusedSinceWarning = 0;
            }
        }
        if (warning != null) {
            LOG.log(System.Logger.Level.WARNING, warning);
        }
    }

    static String line(InitializationType type, HostMemoryShortage shortage) {
        return String.format(Locale.ROOT, PREFIX + "Refused\tType: %s\tAvailable: %d MB\tStarting: %d MB\t"
                        + "Needed: %d MB\tFloor: %d MB\t", type.value(), shortage.availableMb(), shortage.startingMb(),
                shortage.footprint().megabytes(), shortage.floorMb());
    }
}
