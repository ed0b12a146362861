package dev.initbench.localcloud.lambda;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Refuses to start an execution environment the host's memory cannot hold. Every local environment is a process of
 * this host, and the account concurrency limit (AWS's 1,000) is far above what a host holds: without this a
 * runaway spill-over starts JVMs until the host swaps or the kernel's OOM killer ends arbitrary processes.
 *
 * <p>A start is admitted when {@code MemAvailable} minus the memory promised to environments still starting, minus
 * the environment's {@link EnvironmentFootprint}, leaves at least the floor. An environment's promise is held from
 * admission until its init has ended: until then its process has not grown to its resident size, so a burst of
 * simultaneous starts would all see the same free memory. Thread-safe.
 */
final class HostMemoryGuard {

    /**
     * This host's available memory in MB; empty when it cannot be told. Injected so tests can fake it; the service
     * reads {@link HostMemory#availableMb()}.
     */
    @FunctionalInterface
    interface MemoryReading {
        OptionalLong availableMb();
    }

    /** A reservation of nothing: the guard is off, or the host's memory could not be read. */
    private static final Reservation NOTHING = () -> { };

    private final long floorMb;
    private final MemoryReading memory;
    /** Promised to environments admitted whose init has not ended. Guarded by {@code this}. */
    private long startingMb;

    /** @param floorMb memory to leave free; 0 turns the guard off */
    HostMemoryGuard(long floorMb, MemoryReading memory) {
        if (floorMb < 0) {
            throw new IllegalArgumentException("the host memory floor must be 0 (off) or more MB, was " + floorMb);
        }
        this.floorMb = floorMb;
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    /**
     * Admits one environment of {@code footprint}: its memory stays promised until the reservation is closed (when
     * its init has ended, whether it succeeded or not).
     *
     * @throws HostMemoryShortage when it does not fit; nothing is reserved then
     */
    synchronized Reservation reserve(EnvironmentFootprint footprint) throws HostMemoryShortage {
        if (floorMb == 0) {
            return NOTHING;
        }
        OptionalLong available = memory.availableMb();
        if (available.isEmpty()) {
            return NOTHING; // nothing to judge by; the preflight's memory check warns about the same
        }
        if (available.getAsLong() - startingMb - footprint.megabytes() < floorMb) {
            throw new HostMemoryShortage(available.getAsLong(), startingMb, footprint, floorMb);
        }
        long promised = footprint.megabytes();
        startingMb += promised;
        return new Reservation() {
            private boolean released;

            @Override
            public void close() {
                synchronized (HostMemoryGuard.this) {
                    if (!released) {
                        released = true;
                        startingMb -= promised;
                    }
                }
            }
        };
    }

    /** Memory promised to environments still starting, in MB. */
    synchronized long startingMb() {
        return startingMb;
    }

    /** One admitted environment's promise; closing it more than once releases it once. */
    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }
}
