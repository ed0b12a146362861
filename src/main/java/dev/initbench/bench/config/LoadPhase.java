package dev.initbench.bench.config;

import java.time.Duration;

/**
 * One phase of open-model load: a constant arrival rate for a duration (like an artillery phase).
 *
 * @param name                 shown in reports
 * @param arrivalRatePerSecond arrivals per second; each arrival sends one request to every endpoint
 * @param duration             how long the phase lasts
 * @param hold                 how long each request asks the function to keep its execution environment busy
 *                             (the functions' {@code holdMs} parameter); zero for none. The burst uses it so its
 *                             requests overlap at the function and need more environments than are provisioned,
 *                             however fast the machine sending them is.
 */
public record LoadPhase(String name, double arrivalRatePerSecond, Duration duration, Duration hold) {

    /** The URL query the phase's requests carry ("" for none). */
    public String query() {
        return hold.isZero() ? "" : "holdMs=" + hold.toMillis();
    }

    /** How many arrivals the phase schedules: ⌈rate × seconds⌉, as the load plan counts them. */
    public long arrivals() {
        return (long) Math.ceil(arrivalRatePerSecond * duration.toNanos() / 1e9 - 1e-9);
    }
}
