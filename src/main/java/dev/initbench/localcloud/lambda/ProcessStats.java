package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    private static final byte[] VM_HWM = "VmHWM:".getBytes(StandardCharsets.US_ASCII);

    private final long pid;
    private final Path tasks;
    private final Optional<EnvironmentCgroups.EnvironmentCgroup> cgroup;
    private volatile long peakMemoryMb;
    private volatile SchedulerTotals lastTotals = new SchedulerTotals(0, Map.of());
    /**
     * Each live thread's {@code schedstat}, kept open and re-read from offset 0 (the kernel renders it anew on each
     * read): opening some twenty files per reading cost about five times the CPU of reading them, twice per
     * invocation. Guarded by {@code this}.
     */
    private final Map<Long, FileChannel> schedstatFiles = new HashMap<>();
    private final ByteBuffer schedstatBuffer = ByteBuffer.allocate(128);
    /** {@code /proc/<pid>/status}, kept open and re-read like the schedstat files. Guarded by {@code this}. */
    private FileChannel statusFile;
    private final ByteBuffer statusBuffer = ByteBuffer.allocate(8192);

    ProcessStats(long pid, Optional<EnvironmentCgroups.EnvironmentCgroup> cgroup) {
        this.pid = pid;
        this.tasks = Path.of("/proc", Long.toString(pid), "task");
        this.cgroup = cgroup;
    }

    /** Peak resident memory (VmHWM) in MB, rounded up, as REPORT's "Max Memory Used". */
    synchronized long maxMemoryUsedMb() {
        try {
            if (statusFile == null) {
                statusFile = FileChannel.open(Path.of("/proc", Long.toString(pid), "status"), StandardOpenOption.READ);
            }
            statusBuffer.clear();
            int read;
            do { // a few KB: read it whole
                read = statusFile.read(statusBuffer, statusBuffer.position());
            } while (read > 0 && statusBuffer.hasRemaining());
            long kb = kilobytesOf(statusBuffer, VM_HWM);
            if (kb >= 0) {
                peakMemoryMb = Math.max(peakMemoryMb, (kb + 1023) / 1024);
            }
        } catch (IOException e) {
            // The process has ended (or is ending): keep the last reading.
        }
        return peakMemoryMb;
    }

    /** The number after {@code key} (a line start such as {@code VmHWM:}) in the text read; -1 when absent. */
    private static long kilobytesOf(ByteBuffer text, byte[] key) {
        int end = text.position();
        for (int line = 0; line < end; ) {
            boolean match = line + key.length <= end;
            for (int i = 0; match && i < key.length; i++) {
                match = text.get(line + i) == key[i];
            }
            if (match) {
                long value = -1;
                for (int at = line + key.length; at < end && text.get(at) != '\n'; at++) {
                    byte b = text.get(at);
                    if (b >= '0' && b <= '9') {
                        value = Math.max(value, 0) * 10 + (b - '0');
                    }
                }
                return value;
            }
            while (line < end && text.get(line) != '\n') {
                line++;
            }
            line++;
        }
        return -1;
    }

    /** CPU and run-queue wait of every thread of the process, now; the last reading once the process has ended. */
    synchronized SchedulerTotals schedulerTotals() {
        String[] listed = tasks.toFile().list();
        if (listed == null) { // the process has ended
            close();
            return lastTotals;
        }
        long cpu = 0;
        Map<Long, ThreadTimes> threads = new HashMap<>();
        for (String name : listed) {
            long tid;
            try {
                tid = Long.parseLong(name);
            } catch (NumberFormatException e) {
                continue;
            }
            ThreadTimes times = threadTimes(tid);
            if (times != null) {
                cpu += times.cpuNanos();
                threads.put(tid, times);
            }
        }
        schedstatFiles.entrySet().removeIf(file -> {
            if (threads.containsKey(file.getKey())) {
                return false;
            }
            closeQuietly(file.getValue());
            return true;
        });
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

    /** Closes the files kept open for readings (a later reading opens them again); idempotent. */
    synchronized void close() {
        schedstatFiles.values().forEach(ProcessStats::closeQuietly);
        schedstatFiles.clear();
        if (statusFile != null) {
            closeQuietly(statusFile);
            statusFile = null;
        }
    }

    /** One thread's figures; null when it has ended. A file of an ended thread whose id was reused is reopened. */
    private ThreadTimes threadTimes(long tid) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                FileChannel file = schedstatFiles.get(tid);
                if (file == null) {
                    file = FileChannel.open(tasks.resolve(Long.toString(tid)).resolve("schedstat"),
                            StandardOpenOption.READ);
                    schedstatFiles.put(tid, file);
                }
                schedstatBuffer.clear();
                file.read(schedstatBuffer, 0);
                return parseSchedstat(schedstatBuffer);
            } catch (IOException | NumberFormatException e) {
                FileChannel stale = schedstatFiles.remove(tid);
                if (stale == null) {
                    return null; // could not even open it: the thread has ended
                }
                closeQuietly(stale);
            }
        }
        return null;
    }

    /** "{@code <ns on CPU> <ns waiting on a run queue> <timeslices>}". */
    private static ThreadTimes parseSchedstat(ByteBuffer text) {
        int end = text.position();
        long[] fields = new long[2];
        int at = 0;
        for (int field = 0; field < 2; field++) {
            long value = 0;
            int start = at;
            while (at < end && text.get(at) >= '0' && text.get(at) <= '9') {
                value = value * 10 + (text.get(at++) - '0');
            }
            if (at == start || at >= end || text.get(at) != ' ') {
                throw new NumberFormatException("unexpected schedstat text");
            }
            fields[field] = value;
            at++;
        }
        return new ThreadTimes(fields[0], fields[1]);
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException e) {
            // Nothing was written: nothing to lose.
        }
    }
}
