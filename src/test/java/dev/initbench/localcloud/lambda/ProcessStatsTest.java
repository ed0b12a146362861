package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ProcessStats read against this JVM's own /proc entries (Linux). */
class ProcessStatsTest {

    private final long pid = ProcessHandle.current().pid();

    @Test
    void peakMemoryIsVmHwmRoundedUpToMegabytes() throws Exception {
        ProcessStats stats = new ProcessStats(pid, Optional.empty());
        long mb = stats.maxMemoryUsedMb();
        long kb = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(line -> line.startsWith("VmHWM:")).mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
        // VmHWM only grows: read before and after the reference, the figure lies between.
        assertThat(mb).isPositive().isLessThanOrEqualTo((kb + 1023) / 1024);
        assertThat(stats.maxMemoryUsedMb()).isGreaterThanOrEqualTo(mb);
    }

    @Test
    void readingsFollowThreadsThatStartAndEnd() throws Exception {
        ProcessStats stats = new ProcessStats(pid, Optional.empty());
        int before = stats.schedulerTotals().threads().size();
        Thread extra = new Thread(() -> {
            long spin = System.nanoTime() + 20_000_000;
            while (System.nanoTime() < spin) {
                Thread.onSpinWait();
            }
        }, "stats-extra");
        extra.start();
        extra.join();
        Thread waiting = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stats-waiting");
        waiting.start();
        try {
            ProcessStats.SchedulerTotals totals = stats.schedulerTotals();
            long listed = Files.list(Path.of("/proc", Long.toString(pid), "task")).count();
            assertThat(totals.threads().size()).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo((int) listed + 1);
            assertThat(totals.cpuNanos()).isPositive();
            assertThat(totals.threads().values()).allSatisfy(times -> assertThat(times.cpuNanos()).isNotNegative());
            long later = stats.schedulerTotals().cpuNanos();
            assertThat(later).isGreaterThanOrEqualTo(totals.cpuNanos());
        } finally {
            waiting.interrupt();
            waiting.join();
            stats.close();
        }
    }
}
