package dev.initbench.functions;

import java.time.Duration;

/**
 * How often the eager function tries its init fetch before it answers every request with the failure: a transient
 * failure (the execution role's policy not yet propagated in IAM just after the stack created it, a throttle, a
 * network blip) must not become a 500 for the environment's whole life. Backoff doubles from {@code firstBackoff}
 * up to {@code maxBackoff}; the default waits at most 3 s in all, well inside Lambda's 10-second init phase.
 *
 * @param maxAttempts  attempts in all, at least 1
 * @param firstBackoff wait after the first failure
 * @param maxBackoff   longest single wait
 */
record InitRetry(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {

    /** 5 attempts, waiting 0.2, 0.4, 0.8 and 1.6 s between them. */
    static final InitRetry DEFAULT = new InitRetry(5, Duration.ofMillis(200), Duration.ofMillis(1600));

    InitRetry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    Duration backoffAfter(int attempt) {
        long millis = firstBackoff.toMillis() << Math.min(30, attempt - 1);
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
