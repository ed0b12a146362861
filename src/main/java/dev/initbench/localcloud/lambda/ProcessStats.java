package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads an environment process's figures from {@code /proc/<pid>}. Keeps the last reading, so a figure asked for
 * after the process ended is the last one seen. Figures of the process's threads
 * ({@code /proc/<pid>/task/*}) belong here too.
 */
final class ProcessStats {

    private final long pid;
    private volatile long peakMemoryMb;

    ProcessStats(long pid) {
        this.pid = pid;
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
}
