package dev.initbench.bench.deploy;

import dev.initbench.bench.config.ScenarioSettings;
import java.time.Duration;
import java.util.Locale;

/**
 * How long a run holds provisioned concurrency, by phase: from the aliases' creation (allocation starts) to READY,
 * the load, the wait for REPORT log lines, and the stack's deletion (PC ends when the aliases are deleted).
 *
 * @param allocation from stack creation to both aliases READY
 * @param load       the load, all phases
 * @param logWait    reading the REPORT lines back after the load
 * @param deletion   from the start of teardown to the stack deleted
 */
public record ProvisionedTime(Duration allocation, Duration load, Duration logWait, Duration deletion) {

    /**
     * Assumed allocation time on AWS until runs measure it (every run prints its measured phases when it ends):
     * Lambda documents only that allocating provisioned concurrency takes minutes.
     */
    static final Duration AWS_ALLOCATION = Duration.ofMinutes(5);
    /** Assumed stack deletion time on AWS (aliases, versions, functions, role, API), likewise. */
    static final Duration AWS_DELETION = Duration.ofMinutes(3);

    /** The AWS estimate for a scenario: its load and its log wait bound, the assumed allocation and deletion. */
    public static ProvisionedTime awsEstimate(ScenarioSettings settings) {
        return new ProvisionedTime(AWS_ALLOCATION, settings.loadDuration(), settings.logWait(), AWS_DELETION);
    }

    public Duration total() {
        return allocation.plus(load).plus(logWait).plus(deletion);
    }

    /** Provisioned concurrency is billed in whole 5-minute blocks. */
    public long billedSeconds() {
        long seconds = (total().toMillis() + 999) / 1000;
        return (seconds + 299) / 300 * 300;
    }

    public String describe() {
        return String.format(Locale.ROOT, "%.0f s = allocation %.0f s + load %.0f s + log wait %.0f s + deletion"
                        + " %.0f s, billed as %d s (5-minute blocks)", seconds(total()), seconds(allocation),
                seconds(load), seconds(logWait), seconds(deletion), billedSeconds());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
