package dev.initbench.bench.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the host's {@code /proc/stat} and {@code /proc/loadavg} once on {@link #start}, then every interval on a
 * daemon thread, and once more on {@link #stop}: the host-wide picture of a load ({@link HostLoad}). It only reads
 * two small files (well under a millisecond of CPU a second) and sends nothing anywhere. Bounded: at most
 * {@code maxReadings} readings are kept (a day at one a second by default); past that only the final one is added.
 */
public final class HostLoadSampler implements AutoCloseable {

    /** Where the kernel's counters are. */
    public static final Path PROC = Path.of("/proc");
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    /** A day of readings at one a second. */
    public static final int MAX_READINGS = 86_400;

    private final HostLoad.Role role;
    private final Path procRoot;
    private final int maxReadings;
    private final Instant startedAt;
    private final long startNanos;
    private final List<HostLoadReading> readings = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private String failure;

    private HostLoadSampler(HostLoad.Role role, Path procRoot, Duration interval, int maxReadings) {
        this.role = role;
        this.procRoot = procRoot;
        this.maxReadings = maxReadings;
        this.startedAt = Instant.now();
        this.startNanos = System.nanoTime();
        read();
        if (failure == null) {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "host-load-sampler");
                thread.setDaemon(true);
                return thread;
            });
            long period = interval.toNanos();
            timer.scheduleAtFixedRate(this::readWhileRoom, period, period, TimeUnit.NANOSECONDS);
        } else {
            timer = null;
        }
    }

    /** Starts sampling this machine's {@code /proc} every second. */
    public static HostLoadSampler start(HostLoad.Role role) {
        return start(role, PROC, INTERVAL, MAX_READINGS);
    }

    /**
     * Starts sampling {@code procRoot} (a directory holding {@code stat} and {@code loadavg}); where it cannot be
     * read, {@link #stop} reports the host as not measured, saying why.
     */
    public static HostLoadSampler start(HostLoad.Role role, Path procRoot, Duration interval, int maxReadings) {
        Objects.requireNonNull(role, "role");
        if (interval.isNegative() || interval.isZero() || maxReadings < 2) {
            throw new IllegalArgumentException("host load sampling needs an interval > 0 and room for at least two"
                    + " readings; got " + interval + " and " + maxReadings);
        }
        return new HostLoadSampler(role, procRoot, interval, maxReadings);
    }

    private void readWhileRoom() {
        synchronized (this) {
            // One place stays free for the reading at stop().
            if (readings.size() >= maxReadings - 1 || failure != null) {
                return;
            }
        }
        read();
    }

    private void read() {
        try {
            HostLoadReading reading = new HostLoadReading(System.nanoTime(),
                    HostLoadReading.CpuTimes.parse(Files.readString(procRoot.resolve("stat"))),
                    HostLoadReading.LoadAverage.parse(Files.readString(procRoot.resolve("loadavg"))));
            synchronized (this) {
                readings.add(reading);
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            synchronized (this) {
                if (failure == null) {
                    failure = procRoot.resolve("stat") + " or " + procRoot.resolve("loadavg") + " unreadable ("
                            + e.getMessage() + "); the host load needs Linux's /proc";
                }
            }
        }
    }

    /**
     * Takes the last reading, stops the thread and sums up.
     *
     * @param loadOrigin the load's time origin ({@code LoadResult.startedAt()}): times are counted from it
     * @param phases     the load's phases with their scheduled starts
     */
    public HostLoad stop(Instant loadOrigin, List<HostLoad.PhaseStart> phases) throws InterruptedException {
        stopTimer();
        read();
        List<HostLoadReading> taken;
        String failed;
        synchronized (this) {
            taken = List.copyOf(readings);
            failed = failure;
        }
        if (taken.size() < 2 && failed != null) {
            return HostLoad.notMeasured(role, failed);
        }
        long originNanos = startNanos + Duration.between(startedAt, loadOrigin).toNanos();
        return HostLoad.of(role, taken, originNanos, phases);
    }

    private void stopTimer() throws InterruptedException {
        if (timer != null) {
            timer.shutdownNow();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Stops the thread without summing up (idempotent); {@link #stop} does it too. */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
