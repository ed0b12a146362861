package dev.initbench.bench.stats;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the host itself did during the load, from {@code /proc/stat} and {@code /proc/loadavg} read about once a
 * second ({@link HostLoadSampler}): busy cores, idle share and runnable threads, second by second and summed up over
 * the load and per phase. Locally this host runs the local cloud, every execution environment and the load
 * generator, so a busy host explains slow numbers; on AWS it is only the client's host. Times are seconds from the
 * load's time origin (its first intended send time).
 *
 * @param role               whose host this is
 * @param status             whether it was measured
 * @param notMeasuredReason  why not ("" when measured)
 * @param cores              the CPUs {@code /proc/stat} lists
 * @param loadAverageBefore  1-minute load average just before the load; null when not measured
 * @param loadAverageAfter   1-minute load average at its end; null when not measured
 * @param load               the whole load; null when not measured
 * @param phases             per load phase, in order
 * @param seconds            every interval between two readings, in order
 */
public record HostLoad(Role role, Status status, String notMeasuredReason, int cores, Double loadAverageBefore,
                       Double loadAverageAfter, PhaseLoad load, List<PhaseLoad> phases, List<Second> seconds) {

    /** Whose host was sampled. */
    public enum Role {
        /** Local target: the local cloud, every execution environment and the load generator share it. */
        BENCHMARK_HOST("this host (local cloud, execution environments and load generator)"),
        /** AWS target: the functions run on AWS; this is only where the load generator ran. */
        CLIENT_HOST("the client's host (load generator only; the functions ran on AWS)");

        private final String description;

        Role(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public enum Status {
        MEASURED,
        NOT_MEASURED
    }

    /**
     * One interval between two readings.
     *
     * @param startSeconds   its start, from the load's time origin (the first may start a little before 0)
     * @param durationSeconds its length
     * @param busyCores      cores' worth of CPU busy on average (busy share of all CPU time × cores)
     * @param idlePercent    share of all CPU time free for work (idle plus iowait)
     * @param stealPercent   share taken by the hypervisor
     * @param runningThreads threads runnable at its end (running or waiting for a CPU), the sampler's own included
     */
    public record Second(double startSeconds, double durationSeconds, double busyCores, double idlePercent,
                         double stealPercent, int runningThreads) {

        double midSeconds() {
            return startSeconds + durationSeconds / 2;
        }

        /** Busy core-seconds of this interval that fall within [from, to). */
        double busyCoreSecondsWithin(double from, double to) {
            double overlap = Math.min(to, startSeconds + durationSeconds) - Math.max(from, startSeconds);
            return overlap <= 0 ? 0 : busyCores * overlap;
        }
    }

    /**
     * A stretch of the load (one phase, or all of it) summed up.
     *
     * @param name               the phase's name, or {@value #WHOLE_LOAD}
     * @param fromSeconds        its start
     * @param toSeconds          its end
     * @param intervals          the readings' intervals whose midpoint falls within it
     * @param meanBusyCores      busy core-seconds over the intervals' seconds
     * @param peakBusyCores      the busiest interval
     * @param minIdlePercent     the least idle interval
     * @param peakRunningThreads the most runnable threads at an interval's end
     * @param busyCoreSeconds    CPU time used by everything on the host in its intervals
     */
    public record PhaseLoad(String name, double fromSeconds, double toSeconds, int intervals, double meanBusyCores,
                            double peakBusyCores, double minIdlePercent, int peakRunningThreads,
                            double busyCoreSeconds) {

        /** The name of the summary over the whole load. */
        public static final String WHOLE_LOAD = "load";

        static PhaseLoad of(String name, double from, double to, List<Second> within) {
            double busy = within.stream().mapToDouble(s -> s.busyCores() * s.durationSeconds()).sum();
            double length = within.stream().mapToDouble(Second::durationSeconds).sum();
            return new PhaseLoad(name, from, to, within.size(), length > 0 ? busy / length : 0,
                    within.stream().mapToDouble(Second::busyCores).max().orElse(0),
                    within.stream().mapToDouble(Second::idlePercent).min().orElse(100),
                    within.stream().mapToInt(Second::runningThreads).max().orElse(0), busy);
        }
    }

    /**
     * Where a phase starts, from the load's time origin.
     *
     * @param name         the phase's name
     * @param startSeconds its scheduled start
     */
    public record PhaseStart(String name, double startSeconds) {
    }

    public HostLoad {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(status, "status");
        notMeasuredReason = notMeasuredReason == null ? "" : notMeasuredReason;
        phases = phases == null ? List.of() : List.copyOf(phases);
        seconds = seconds == null ? List.of() : List.copyOf(seconds);
    }

    /** The host could not be read (no {@code /proc}, not Linux). */
    public static HostLoad notMeasured(Role role, String reason) {
        return new HostLoad(role, Status.NOT_MEASURED, reason, 0, null, null, null, List.of(), List.of());
    }

    /**
     * The figures of a run of readings.
     *
     * @param readings    in time order, the first just before the load, the last at its end
     * @param originNanos the load's time origin, on the readings' clock
     * @param phases      the load's phases in order; each lasts until the next one starts, the last to the end
     */
    public static HostLoad of(Role role, List<HostLoadReading> readings, long originNanos, List<PhaseStart> phases) {
        if (readings.size() < 2) {
            return notMeasured(role, "fewer than two readings of /proc/stat during the load");
        }
        List<Second> seconds = new ArrayList<>();
        HostLoadReading before = readings.get(0);
        for (HostLoadReading after : readings.subList(1, readings.size())) {
            long total = after.cpu().total() - before.cpu().total();
            if (total <= 0) {
                // Shorter than one clock tick: nothing to divide by; the next interval takes its time.
                continue;
            }
            long free = after.cpu().idle() - before.cpu().idle() + after.cpu().iowait() - before.cpu().iowait();
            seconds.add(new Second(seconds(before.nanos() - originNanos), seconds(after.nanos() - before.nanos()),
                    after.cpu().cores() * (double) (after.cpu().busy() - before.cpu().busy()) / total,
                    100.0 * free / total, 100.0 * (after.cpu().steal() - before.cpu().steal()) / total,
                    after.loadAverage().runningThreads()));
            before = after;
        }
        if (seconds.isEmpty()) {
            return notMeasured(role, "the CPU counters of /proc/stat did not advance during the load");
        }
        Second last = seconds.get(seconds.size() - 1);
        double start = seconds.get(0).startSeconds();
        double end = last.startSeconds() + last.durationSeconds();
        // Each interval belongs to the phase running at its midpoint; the first phase also takes what was sampled
        // before the origin, the last what ran on after its schedule (the burst's requests outlast its arrivals).
        List<List<Second>> byPhase = new ArrayList<>();
        phases.forEach(phase -> byPhase.add(new ArrayList<>()));
        for (Second second : seconds) {
            int phase = 0;
            while (phase + 1 < phases.size() && phases.get(phase + 1).startSeconds() <= second.midSeconds()) {
                phase++;
            }
            if (!phases.isEmpty()) {
                byPhase.get(phase).add(second);
            }
        }
        List<PhaseLoad> phaseLoads = new ArrayList<>();
        for (int p = 0; p < phases.size(); p++) {
            double from = p == 0 ? Math.min(start, phases.get(p).startSeconds()) : phases.get(p).startSeconds();
            double to = p + 1 < phases.size() ? phases.get(p + 1).startSeconds() : Math.max(end, from);
            phaseLoads.add(PhaseLoad.of(phases.get(p).name(), from, to, byPhase.get(p)));
        }
        return new HostLoad(role, Status.MEASURED, "", readings.get(0).cpu().cores(),
                readings.get(0).loadAverage().oneMinute(), readings.get(readings.size() - 1).loadAverage().oneMinute(),
                PhaseLoad.of(PhaseLoad.WHOLE_LOAD, start, end, seconds), phaseLoads, seconds);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    public boolean measured() {
        return status == Status.MEASURED;
    }

    /** CPU time (core-seconds) everything on the host used within [from, to) seconds of the load; 0 unmeasured. */
    public double busyCoreSeconds(double fromSeconds, double toSeconds) {
        return seconds.stream().mapToDouble(s -> s.busyCoreSecondsWithin(fromSeconds, toSeconds)).sum();
    }

    /**
     * One line: "busy cores mean 1.2, peak 2.0 of 2; min idle 0.5 %; peak running threads 14; load average 0.4 →
     * 3.1", or why it was not measured.
     */
    @JsonIgnore
    public String summary() {
        if (!measured()) {
            return "not measured: " + notMeasuredReason;
        }
        return String.format(Locale.ROOT, "busy cores mean %.2f, peak %.2f of %d; min idle %.1f %%; peak running"
                        + " threads %d; load average %.2f → %.2f (1 min)", load.meanBusyCores(), load.peakBusyCores(),
                cores, load.minIdlePercent(), load.peakRunningThreads(), loadAverageBefore, loadAverageAfter);
    }
}
