package dev.initbench.localcloud.lambda;

import java.util.Locale;

/**
 * The host's available memory cannot hold one more execution environment and still keep
 * {@link LambdaSettings#hostMemoryFloorMb()} free: the environment was not started. AWS has no such limit; it is
 * the local cloud's, since every environment here is a process of this host.
 *
 * @see HostMemoryGuard
 */
final class HostMemoryShortage extends Exception {

    private final long availableMb;
    private final long startingMb;
    private final EnvironmentFootprint footprint;
    private final long floorMb;

    HostMemoryShortage(long availableMb, long startingMb, EnvironmentFootprint footprint, long floorMb) {
        super(String.format(Locale.ROOT, "this host's memory cannot hold another execution environment: %d MB"
                        + " available (MemAvailable)%s, a %s environment needs %d MB and %d MB are kept free"
                        + " (LambdaSettings.hostMemoryFloorMb). Lower the concurrency or arrival rate (fewer"
                        + " environments at once), free memory on this host, or lower the floor consciously (0 turns"
                        + " the guard off and risks swapping and the kernel's OOM killer)", availableMb,
                startingMb == 0 ? "" : String.format(Locale.ROOT, ", %d MB of it promised to environments still"
                        + " starting", startingMb), footprint.label(), footprint.megabytes(), floorMb));
        this.availableMb = availableMb;
        this.startingMb = startingMb;
        this.footprint = footprint;
        this.floorMb = floorMb;
    }

    /** MemAvailable when the start was refused. */
    long availableMb() {
        return availableMb;
    }

    /** Memory promised to environments started but not yet initialized (not yet in their resident size). */
    long startingMb() {
        return startingMb;
    }

    EnvironmentFootprint footprint() {
        return footprint;
    }

    long floorMb() {
        return floorMb;
    }
}
