package dev.initbench.bench.stats;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * One reading of the host's own counters at an instant: the all-core CPU time counters of {@code /proc/stat} and
 * the load averages of {@code /proc/loadavg}. Two readings make one {@link HostLoad.Second}: the counters only mean
 * something as differences.
 *
 * @param nanos       when it was read ({@link System#nanoTime()})
 * @param cpu         the all-core CPU time counters
 * @param loadAverage the load averages and runnable threads
 */
public record HostLoadReading(long nanos, CpuTimes cpu, LoadAverage loadAverage) {

    private static final Pattern SPACES = Pattern.compile("\\s+");

    /**
     * The first line of {@code /proc/stat}, summed over all CPUs, in clock ticks (their unit cancels out: only
     * shares of their total are used), and how many CPUs the kernel lists ({@code cpuN} lines).
     *
     * @param busy   user + nice + system + irq + softirq (guest time is already inside user and nice)
     * @param idle   idle
     * @param iowait idle while a disk request was outstanding
     * @param steal  taken by the hypervisor for other guests: neither this host's work nor free for it
     * @param cores  the {@code cpuN} lines
     */
    public record CpuTimes(long busy, long idle, long iowait, long steal, int cores) {

        public long total() {
            return busy + idle + iowait + steal;
        }

        /**
         * Parses {@code /proc/stat} text.
         *
         * @throws IllegalArgumentException naming what is missing, for text without a well-formed {@code cpu} line
         */
        public static CpuTimes parse(String procStat) {
            String[] lines = procStat.split("\n");
            long[] fields = null;
            int cores = 0;
            for (String line : lines) {
                String[] parts = SPACES.split(line.strip());
                if (parts[0].equals("cpu")) {
                    fields = numbers(parts, line);
                } else if (parts[0].matches("cpu[0-9]+")) {
                    cores++;
                }
            }
            if (fields == null) {
                throw new IllegalArgumentException("/proc/stat without its 'cpu' line (the all-core totals); got: "
                        + abbreviate(procStat));
            }
            if (cores == 0) {
                throw new IllegalArgumentException("/proc/stat without 'cpuN' lines (one per CPU); got: "
                        + abbreviate(procStat));
            }
            // user nice system idle iowait irq softirq steal [guest guest_nice]: kernels since 2.6.11 write 8 or more.
            long busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6];
            return new CpuTimes(busy, fields[3], fields[4], fields[7], cores);
        }

        private static long[] numbers(String[] parts, String line) {
            if (parts.length < 9) {
                throw new IllegalArgumentException("/proc/stat 'cpu' line with " + (parts.length - 1) + " counters,"
                        + " expected at least 8 (user nice system idle iowait irq softirq steal): " + line);
            }
            try {
                return Arrays.stream(parts, 1, parts.length).mapToLong(Long::parseLong).toArray();
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("/proc/stat 'cpu' line with a counter that is not a whole number: "
                        + line, e);
            }
        }
    }

    /**
     * {@code /proc/loadavg}: "0.52 0.58 0.59 3/345 12345".
     *
     * @param oneMinute      1-minute load average (runnable plus uninterruptible tasks)
     * @param fiveMinutes    5-minute load average
     * @param fifteenMinutes 15-minute load average
     * @param runningThreads threads runnable at this instant (running or waiting for a CPU), the reader included
     * @param threads        all threads of the host
     */
    public record LoadAverage(double oneMinute, double fiveMinutes, double fifteenMinutes, int runningThreads,
                              int threads) {

        /**
         * Parses {@code /proc/loadavg} text.
         *
         * @throws IllegalArgumentException for text of another shape, showing it
         */
        public static LoadAverage parse(String procLoadavg) {
            String[] parts = SPACES.split(procLoadavg.strip());
            String[] threads = parts.length >= 4 ? parts[3].split("/") : new String[0];
            try {
                if (threads.length == 2) {
                    return new LoadAverage(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
                            Double.parseDouble(parts[2]), Integer.parseInt(threads[0]), Integer.parseInt(threads[1]));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("/proc/loadavg not of the form '<1 min> <5 min> <15 min>"
                    + " <running>/<threads> <last pid>'; got: " + abbreviate(procLoadavg));
        }
    }

    private static String abbreviate(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() <= 120 ? "'" + line + "'" : "'" + line.substring(0, 120) + "…'";
    }
}
