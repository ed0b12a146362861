package dev.initbench.localcloud.lambda;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * CPU of building one warm invocation's REPORT and HOSTCPU lines, by appending (PlatformLog) against the
 * {@code String.format} calls they replaced, in rounds that alternate the two (run explicitly:
 * {@code ./mvnw -B -o test -Dtest=PlatformLogBenchmark -Dsurefire.failIfNoSpecifiedTests=false}). Prints the median
 * CPU nanoseconds per invocation of each over the rounds; the lines' equality is PlatformLogLineTest's.
 */
class PlatformLogBenchmark {

    private static final int ROUNDS = 15;
    private static final int INVOCATIONS_PER_ROUND = 50_000;
    private static final String REQUEST_ID = "8f5e2b1c-3d4a-4e6f-9a7b-0c1d2e3f4a5b";

    /** Keeps the lines' lengths alive so the JIT cannot drop the work. */
    private long sink;

    @Test
    void measureLineBuilding() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] appended = new long[ROUNDS];
        long[] formatted = new long[ROUNDS];
        for (int round = -3; round < ROUNDS; round++) { // three rounds of warm-up each
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < INVOCATIONS_PER_ROUND; i++) {
                double duration = 1.5 + (i % 997) * 0.0137;
                HostCpu usage = new HostCpu(duration * 0.4, duration * 0.05, duration, 0);
                sink += PlatformLog.reportLine(REQUEST_ID, duration, 512, 187, OptionalDouble.empty()).length();
                sink += PlatformLog.hostCpuLine(REQUEST_ID, usage).length();
            }
            long middle = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < INVOCATIONS_PER_ROUND; i++) {
                double duration = 1.5 + (i % 997) * 0.0137;
                HostCpu usage = new HostCpu(duration * 0.4, duration * 0.05, duration, 0);
                sink += formattedReport(duration).length();
                sink += formattedHostCpu(usage).length();
            }
            long end = threads.getCurrentThreadCpuTime();
            if (round >= 0) {
                appended[round] = (middle - start) / INVOCATIONS_PER_ROUND;
                formatted[round] = (end - middle) / INVOCATIONS_PER_ROUND;
            }
        }
        java.util.Arrays.sort(appended);
        java.util.Arrays.sort(formatted);
        System.out.printf(Locale.ROOT, "REPORT + HOSTCPU lines per invocation, CPU ns (median of %d rounds of %d): "
                        + "appended %d, String.format %d (load average %.2f; sink %d)%n", ROUNDS,
                INVOCATIONS_PER_ROUND, appended[ROUNDS / 2], formatted[ROUNDS / 2],
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sink);
    }

    /** The REPORT line as PlatformLog formatted it before (no Init Duration: a warm invocation). */
    private static String formattedReport(double durationMs) {
        return String.format(Locale.ROOT, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\t"
                        + "Memory Size: %d MB\tMax Memory Used: %d MB\t", REQUEST_ID, durationMs,
                (long) Math.ceil(durationMs), 512, 187L);
    }

    private static String formattedHostCpu(HostCpu usage) {
        return String.format(Locale.ROOT, "HOSTCPU RequestId: %s\tCPU: %.1f ms\tCPU Wait: %.1f ms\tWall: %.1f ms\t"
                + "Frozen: %.1f ms\t", REQUEST_ID, usage.cpuMs(), usage.cpuWaitMs(), usage.wallMs(), usage.frozenMs());
    }
}
