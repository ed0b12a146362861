package dev.initbench.bench.preflight;

import dev.initbench.bench.config.ScenarioSettings;
import dev.initbench.bench.config.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local target: whether the execution environments a scenario may run at once fit this host's available memory.
 * Every local environment is a real process (a JVM, or Node.js); the account concurrency limit is AWS's 1,000, so
 * memory, not that limit, bounds how many the host holds. At its peak a function runs its provisioned environments
 * plus the burst's extra arrivals on demand ({@code burst().arrivals()} in all).
 */
final class HostMemoryCheck {

    /**
     * Resident memory of one Java environment after init and its first invocations, rounded up from 135–136 MB
     * measured (ps RSS, 1024 MB memory size, the eager/lazy/async-init functions on JDK 17).
     */
    static final long JAVA_ENVIRONMENT_MB = 150;
    /** The same for a Node.js environment (esm, cjs): 70–73 MB measured. */
    static final long NODE_ENVIRONMENT_MB = 80;
    /** Kept free for the benchmark's own JVM (local cloud, load generator) and the rest of the host. */
    static final long RESERVED_MB = 1024;

    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Pattern MEM_AVAILABLE = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+) kB$");

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
                settings.provisionedConcurrency(), extras, gigabytes(neededMb), JAVA_ENVIRONMENT_MB,
                NODE_ENVIRONMENT_MB, gigabytes(RESERVED_MB));
        if (availableMb.isEmpty()) {
            return PreflightCheck.warn("memory", numbers + "; not checked: " + MEMINFO + " has no MemAvailable",
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
        return switch (strategy.family()) {
            case JAVA -> JAVA_ENVIRONMENT_MB;
            case NODE -> NODE_ENVIRONMENT_MB;
        };
    }

    /** MemAvailable of this host in MB; empty where {@code /proc/meminfo} does not say (not Linux). */
    static OptionalLong availableMb() {
        try {
            return availableMb(Files.readString(MEMINFO));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong availableMb(String meminfo) {
        Matcher matcher = MEM_AVAILABLE.matcher(meminfo);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1)) / 1024) : OptionalLong.empty();
    }

    private static String gigabytes(long mb) {
        return String.format(Locale.ROOT, "%.1f GB", mb / 1024.0);
    }
}
