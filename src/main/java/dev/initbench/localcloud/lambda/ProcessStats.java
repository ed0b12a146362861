package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an environment process's figures from {@code /proc/<pid>} (and its cgroup, when it has one). Keeps the last
 * reading, so a figure asked for after the process ended is the last one seen.
 *
 * <p>Scheduler accounting comes from the kernel's per-thread {@code /proc/<pid>/task/<tid>/schedstat}: field 1 is
 * the time the thread ran on a CPU, field 2 the time it was runnable but waiting on a run queue (a stopped or
 * frozen thread is not runnable, so freezing adds nothing there). CPU time is taken from the environment's cgroup
 * ({@code cpu.stat usage_usec}) when it has one, because that also counts threads that ended between two readings;
 * run-queue wait has no per-cgroup sum, so a thread that ends between two readings loses its wait since the first.
 */
final class ProcessStats {

    /**
     * Scheduler figures of the process at one instant, in ns since it started: its CPU time, and each thread's CPU
     * time and run-queue wait by thread id (the wait is kept per thread: see {@link HostCpu.Sample#until}).
     */
    record SchedulerTotals(long cpuNanos, Map<Long, ThreadTimes> threads) {
        SchedulerTotals {
            threads = Map.copyOf(threads);
        }
    }

    /** One thread's CPU time and run-queue wait, in ns. */
    record ThreadTimes(long cpuNanos, long waitNanos) {
    }

    private final long pid;
    private final Path tasks;
    private final Optional<EnvironmentCgroups.EnvironmentCgroup> cgroup;
    private volatile long peakMemoryMb;
    private volatile SchedulerTotals lastTotals = new SchedulerTotals(0, Map.of());

    ProcessStats(long pid, Optional<EnvironmentCgroups.EnvironmentCgroup> cgroup) {
        this.pid = pid;
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
        this.cgroup = cgroup;
    }

    /** Peak resident memory (VmHWM) in MB, rounded up, as REPORT's "Max Memory Used". */
    long maxMemoryUsedMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    peakMemoryMb = Math.max(peakMemoryMb, (kb + 1023) / 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // The process has ended (or is ending): keep the last reading.
        }
        return peakMemoryMb;
    }

    /** CPU and run-queue wait of every thread of the process, now; the last reading once the process has ended. */
    SchedulerTotals schedulerTotals() {
        long cpu = 0;
        Map<Long, ThreadTimes> threads = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tasks)) {
            for (Path task : entries) {
                String text;
                try {
                    text = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    continue; // the thread ended while we listed
                }
                int first = text.indexOf(' ');
                int second = text.indexOf(' ', first + 1);
                if (first < 0 || second < 0) {
                    continue;
                }
                long threadCpu = Long.parseLong(text, 0, first, 10);
                cpu += threadCpu;
                threads.put(Long.parseLong(task.getFileName().toString()),
                        new ThreadTimes(threadCpu, Long.parseLong(text, first + 1, second, 10)));
            }
        } catch (IOException | NumberFormatException e) {
            return lastTotals;
        }
        if (threads.isEmpty()) {
            return lastTotals;
        }
        if (cgroup.isPresent()) {
            try {
                cpu = cgroup.get().cpuUsageNanos();
            } catch (IOException | NumberFormatException e) {
                // Keep the threads' sum.
            }
        }
        SchedulerTotals totals = new SchedulerTotals(Math.max(cpu, lastTotals.cpuNanos()), threads);
        lastTotals = totals;
        return totals;
    }
}
