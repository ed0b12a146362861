package dev.initbench.localcloud.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Provisioned concurrency: one {@link ProvisionedAllocation} per alias or version, its environments started
 * (at most {@link LambdaSettings#provisioningParallelism()} at once) through the pool, and an initialized one that
 * fails later replaced. An init failure fails the whole configuration with a reason. Thread-safe.
 */
final class ProvisionedConcurrency implements EnvironmentPool.Listener, AutoCloseable {

    private final EnvironmentPool pool;
    private final RuntimeCatalog runtimes;
    private final ExecutorService provisioningThreads;
    private final Map<String, ProvisionedAllocation> allocations = new TreeMap<>();
    private boolean closed;

    ProvisionedConcurrency(EnvironmentPool pool, RuntimeCatalog runtimes, LambdaSettings settings) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
        this.provisioningThreads = Executors.newFixedThreadPool(settings.provisioningParallelism(), runnable -> {
            Thread thread = new Thread(runnable, "lambda-provisioning");
            thread.setDaemon(true);
            return thread;
        });
        pool.addListener(this);
    }

    /** Replaces any configuration of the qualifier and starts {@code count} environments for {@code version}. */
    LambdaService.ProvisionedConcurrencyStatus put(String functionName, String qualifier, FunctionVersion version,
                                                   int count) {
        ProvisionedAllocation allocation = new ProvisionedAllocation(functionName, qualifier, version, count,
                LambdaService.now());
        ProvisionedAllocation previous;
        synchronized (this) {
            if (closed) {
                throw LambdaErrors.serviceClosed();
            }
            previous = allocations.put(key(functionName, qualifier), allocation);
        }
        if (previous != null) {
            release(previous, "replaced by a new provisioned concurrency configuration");
        }
        for (int i = 0; i < count; i++) {
            schedule(allocation);
        }
        return allocation.status(pool.initializedCount(allocation));
    }

    Optional<ProvisionedAllocation> find(String functionName, String qualifier) {
        synchronized (this) {
            return Optional.ofNullable(allocations.get(key(functionName, qualifier)));
        }
    }

    Optional<LambdaService.ProvisionedConcurrencyStatus> status(String functionName, String qualifier) {
        return find(functionName, qualifier).map(allocation -> allocation.status(pool.initializedCount(allocation)));
    }

    /** Waits until the configuration is READY or FAILED (or the timeout passes); empty when there is none. */
    Optional<LambdaService.ProvisionedConcurrencyStatus> await(String functionName, String qualifier,
                                                               Duration timeout) {
        Optional<ProvisionedAllocation> allocation = find(functionName, qualifier);
        allocation.ifPresent(found -> {
            try {
                found.settled().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // The status says what happened.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return allocation.map(found -> found.status(pool.initializedCount(found)));
    }

    /** Removes the qualifier's configuration and stops its environments; false when there was none. */
    boolean remove(String functionName, String qualifier) {
        ProvisionedAllocation removed;
        synchronized (this) {
            removed = allocations.remove(key(functionName, qualifier));
        }
        if (removed != null) {
            release(removed, "provisioned concurrency configuration deleted");
        }
        return removed != null;
    }

    /** Removes every configuration of the function. */
    void removeFunction(String functionName) {
        List<ProvisionedAllocation> removed = new ArrayList<>();
        synchronized (this) {
            allocations.values().removeIf(allocation -> {
                boolean match = allocation.functionName().equals(functionName);
                if (match) {
                    removed.add(allocation);
                }
                return match;
            });
        }
        removed.forEach(allocation -> release(allocation, "function deleted"));
    }

    /** An initialized provisioned environment that failed is replaced while its configuration stands. */
    @Override
    public void transitioned(EnvironmentPool.Transition transition) {
        boolean wasInitialized = transition.from() == EnvironmentState.IDLE
                || transition.from() == EnvironmentState.BUSY;
        if (transition.to() != EnvironmentState.FAILED || !wasInitialized || transition.allocation().isEmpty()) {
            return;
        }
        schedule(transition.allocation().get());
    }

    /** Releases every configuration; the pool stops the environments. Idempotent. */
    @Override
    public void close() {
        List<ProvisionedAllocation> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(allocations.values());
            allocations.clear();
        }
        all.forEach(ProvisionedAllocation::release);
        provisioningThreads.shutdownNow();
    }

    /** Queues the start of one environment; under the monitor, so never after close() shut the threads down. */
    private synchronized void schedule(ProvisionedAllocation allocation) {
        if (!closed && !allocation.released()) {
            provisioningThreads.execute(() -> provisionOne(allocation));
        }
    }

    private void provisionOne(ProvisionedAllocation allocation) {
        if (allocation.released() || allocation.failed()) {
            return; // a FAILED configuration starts nothing more
        }
        try {
            pool.startProvisioned(allocation, runtimes.prepared(allocation.version().runtime()));
            if (allocation.failed()) { // another start failed it while this one initialized
                pool.stopAllocation(allocation, "provisioned concurrency failed");
                return;
            }
            allocation.initialized(pool.initializedCount(allocation));
        } catch (EnvironmentFailure failure) {
            fail(allocation, "FUNCTION_ERROR_INIT_FAILURE: " + failure.errorType() + ": " + failure.getMessage());
        } catch (HostMemoryShortage shortage) {
            fail(allocation, "The local cloud could not start a provisioned environment: " + shortage.getMessage()
                    + " (AWS has no such limit)");
        }
    }

    /**
     * FAILED with {@code reason}, its environments stopped before it settles; nothing when it was replaced or
     * deleted meanwhile.
     */
    private void fail(ProvisionedAllocation allocation, String reason) {
        if (allocation.released()) {
            return; // stopped because it was replaced or deleted, not a failure of the function
        }
        allocation.fail(reason);
        pool.stopAllocation(allocation, "provisioned concurrency failed: " + reason);
        allocation.failureHandled();
    }

    private void release(ProvisionedAllocation allocation, String reason) {
        allocation.release();
        pool.stopAllocation(allocation, reason);
    }

    private static String key(String functionName, String qualifier) {
        return functionName + ":" + qualifier;
    }
}
