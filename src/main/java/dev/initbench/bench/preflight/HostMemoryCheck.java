package dev.initbench.bench.preflight;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.Strategy;
import dev.initbench.localcloud.lambda.EnvironmentFootprint;
import dev.initbench.localcloud.lambda.HostMemory;
import dev.initbench.localcloud.lambda.LambdaSettings;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Local target: whether the execution environments a scenario may run at once fit this host's available memory.
 * Every local environment is a real process (a JVM, or Node.js); the account concurrency limit is AWS's 1,000, so
 * memory, not that limit, bounds how many the host holds. At its peak a function runs its provisioned environments
 * plus the burst's extra arrivals on demand ({@code burst().arrivals()} in all). The per-environment figures
 * and the reserve are the local cloud's ({@link EnvironmentFootprint}, its default host memory floor), so a
 * scenario that passes here is one its guard admits at run time.
 */
final class HostMemoryCheck {

    /**
     * Kept free for the benchmark's own JVM (local cloud, load generator) and the rest of the host: the local
     * cloud's host memory floor, which refuses environment starts that would leave less.
     */
    static final long RESERVED_MB = LambdaSettings.DEFAULT_HOST_MEMORY_FLOOR_MB;

    private HostMemoryCheck() {
    }

    /** The check, given the host's available memory (empty when it cannot be read). */
    static PreflightCheck check(ScenarioSettings settings, OptionalLong availableMb) {
        long extras = settings.burst().arrivals() - settings.provisionedConcurrency();
        long perEnvironmentSet = 0;
        for (Strategy strategy : settings.strategies()) {
            perEnvironmentSet += environmentMb(strategy);
        }
        long environments = settings.strategies().size() * settings.burst().arrivals();
        long neededMb = perEnvironmentSet * settings.burst().arrivals();
        String numbers = String.format(Locale.ROOT, "%d environments at the burst's peak (%d functions × (%d"
                        + " provisioned + %d burst extras)) need about %s (%d MB per Java, %d MB per Node.js"
                        + " environment) + %s for the benchmark itself", environments, settings.strategies().size(),
                settings.provisionedConcurrency(), extras, gigabytes(neededMb), EnvironmentFootprint.JAVA.megabytes(),
                EnvironmentFootprint.NODE.megabytes(), gigabytes(RESERVED_MB));
        if (availableMb.isEmpty()) {
            return PreflightCheck.warn("memory", numbers + "; not checked: " + HostMemory.source() + " has no MemAvailable",
                    "make sure the host has that much memory free (an environment that cannot start fails its init)");
        }
        long available = availableMb.getAsLong();
        if (neededMb + RESERVED_MB <= available) {
            return PreflightCheck.pass("memory", numbers + "; " + gigabytes(available) + " available (MemAvailable)");
        }
        long largest = Math.max(0, (available - RESERVED_MB) / perEnvironmentSet - extras);
        return PreflightCheck.fail("memory", numbers + "; only " + gigabytes(available) + " available (MemAvailable, "
                        + gigabytes(neededMb + RESERVED_MB) + " needed)",
                largest > 0 ? "lower --provisioned-concurrency to " + largest + " or less, deploy fewer strategies"
                        + " (--strategies), or free memory on this host"
                        : "deploy fewer strategies (--strategies) or lower --burst-extra-arrivals, or free memory on"
                        + " this host");
    }

    private static long environmentMb(Strategy strategy) {
        return footprint(strategy.family()).megabytes();
    }

    /** The local cloud's figure for an environment of the family: the one its host memory guard checks too. */
    static EnvironmentFootprint footprint(Strategy.Family family) {
        return switch (family) {
            case JAVA -> EnvironmentFootprint.JAVA;
            case NODE -> EnvironmentFootprint.NODE;
        };
    }

    private static String gigabytes(long mb) {
        return String.format(Locale.ROOT, "%.1f GB", mb / 1024.0);
    }
}
