package dev.initbench.bench.config;

import java.util.OptionalDouble;

/**
 * Absolute latency and error budgets of a scenario, asserted on the steady phase(s).
 *
 * @param eagerP99Ms upper bound of the eager-init endpoint's p99 in milliseconds, if set
 * @param lazyP99Ms  upper bound of the lazy-init endpoint's p99 in milliseconds, if set
 * @param maxErrors  how many requests per endpoint may end in anything but a 2xx
 */
public record Budgets(OptionalDouble eagerP99Ms, OptionalDouble lazyP99Ms, long maxErrors) {
}
