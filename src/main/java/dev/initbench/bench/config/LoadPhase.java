package dev.initbench.bench.config;

import java.time.Duration;

/**
 * One phase of open-model load: a constant arrival rate for a duration (like an artillery phase).
 *
 * @param name                 shown in reports
 * @param arrivalRatePerSecond arrivals per second; each arrival sends one request to every endpoint
 * @param duration             how long the phase lasts
 */
public record LoadPhase(String name, double arrivalRatePerSecond, Duration duration) {

    /** How many arrivals the phase schedules. */
    public long arrivals() {
        return Math.round(arrivalRatePerSecond * duration.toMillis() / 1000.0);
    }
}
