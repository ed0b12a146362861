package dev.initbench.localcloud.lambda;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;

/**
 * Which idle provisioned-concurrency environment serves the next request. What a benchmark sees depends on it:
 * a policy that always reuses the same environment hides every other environment's first-invocation cost.
 *
 * <p>AWS does not document its choice. The default, {@link #RANDOM}, matches what is observed on AWS: the original
 * AWS sample measured a clear lazy-vs-eager p99 gap at 10 requests/s over 20 provisioned environments, which needs
 * at least 1 % of requests to be an environment's first invocation, i.e. requests reaching many environments rather
 * than the most recently used one (Lambda places invocations through a distributed fleet of front ends and workers,
 * none of which sees a global "last used" order).
 */
public enum EnvironmentSelection {

    /** Uniformly random among the idle environments (default). */
    RANDOM,
    /** The environment idle the longest first: requests rotate through all environments (round robin). */
    LEAST_RECENTLY_USED,
    /** The environment used last first: a warm-stack policy that concentrates traffic on few environments. */
    MOST_RECENTLY_USED;

    /** Picks one of {@code idle} (not empty), given when each was last used. */
    <T> T pick(List<T> idle, ToLongFunction<T> lastUsedNanos, Random random) {
        return switch (this) {
            case RANDOM -> idle.get(random.nextInt(idle.size()));
            case LEAST_RECENTLY_USED -> idle.stream().min(Comparator.comparingLong(lastUsedNanos)).orElseThrow();
            case MOST_RECENTLY_USED -> idle.stream().max(Comparator.comparingLong(lastUsedNanos)).orElseThrow();
        };
    }
}
