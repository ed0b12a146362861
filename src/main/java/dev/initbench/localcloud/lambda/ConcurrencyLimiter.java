package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.invoke.InvocationThrottledException;

/**
 * Concurrency accounting: the one owner of how many invocations run at once across all functions, and of
 * throttling above {@link LambdaSettings#concurrencyLimit()}. Per-function reserved concurrency would be counted
 * here too. Thread-safe.
 */
final class ConcurrencyLimiter {

    private final int limit;
    private int inFlight;

    ConcurrencyLimiter(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the concurrency limit must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /**
     * Takes one unit of concurrency for an invocation, to be returned by closing the permit.
     *
     * @throws InvocationThrottledException when {@code limit} invocations are already running
     */
    synchronized Permit acquire() {
        if (inFlight >= limit) {
            throw new InvocationThrottledException(InvocationThrottledException.Cause.CONCURRENCY_LIMIT,
                    "Rate Exceeded.");
        }
        inFlight++;
        return new Permit();
    }

    synchronized int inFlight() {
        return inFlight;
    }

    private synchronized void release() {
        inFlight--;
    }

    /** One running invocation's unit of concurrency; closing it more than once returns it once. */
    final class Permit implements AutoCloseable {
        private boolean returned;

        @Override
        public void close() {
            synchronized (ConcurrencyLimiter.this) {
                if (returned) {
                    return;
                }
                returned = true;
            }
            release();
        }
    }
}
