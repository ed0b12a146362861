package dev.initbench.bench.stats;

import dev.initbench.bench.load.Outcome;

/**
 * One request on the latency-over-time chart.
 *
 * @param secondsFromStart its intended send time, seconds from the run's start
 * @param latencyMs        its latency from the intended send time
 * @param outcome          how it ended
 * @param firstInvocation  whether its response said it was the environment's first invocation
 */
public record TimelinePoint(double secondsFromStart, double latencyMs, Outcome outcome, boolean firstInvocation) {
}
