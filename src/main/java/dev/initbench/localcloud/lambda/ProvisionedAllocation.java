package dev.initbench.localcloud.lambda;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One provisioned-concurrency configuration of an alias or version: what was requested and how allocating it went.
 * Its environments live in {@link EnvironmentPool}, tagged with this allocation. Thread-safe.
 */
final class ProvisionedAllocation {

    private final String functionName;
    private final String qualifier;
    private final FunctionVersion version;
    private final int requested;
    private final String lastModified;
    private final CompletableFuture<Void> settled = new CompletableFuture<>();
    private ProvisionedConcurrencyState state = ProvisionedConcurrencyState.IN_PROGRESS;
    private String statusReason;
    private volatile boolean released;

    ProvisionedAllocation(String functionName, String qualifier, FunctionVersion version, int requested,
                          String lastModified) {
        this.functionName = functionName;
        this.qualifier = qualifier;
        this.version = version;
        this.requested = requested;
        this.lastModified = lastModified;
    }

    String functionName() {
        return functionName;
    }

    String qualifier() {
        return qualifier;
    }

    FunctionVersion version() {
        return version;
    }

    int requested() {
        return requested;
    }

    /** True once replaced or deleted: no environment may be started for it any more. */
    boolean released() {
        return released;
    }

    /** Completes when it is READY, FAILED or released. */
    CompletableFuture<Void> settled() {
        return settled;
    }

    /** IN_PROGRESS → READY once {@code initialized} reaches the request; a FAILED one stays FAILED. */
    synchronized void initialized(int initialized) {
        if (state == ProvisionedConcurrencyState.IN_PROGRESS && initialized >= requested) {
            state = ProvisionedConcurrencyState.READY;
            settled.complete(null);
        }
    }

    /**
     * Any state → FAILED with the reason. It settles at {@link #failureHandled()}, once its environments are
     * stopped, so whoever awaits it finds none of them running.
     */
    synchronized void fail(String reason) {
        statusReason = reason;
        state = ProvisionedConcurrencyState.FAILED;
    }

    /** The FAILED configuration's environments are stopped: it has settled. */
    void failureHandled() {
        settled.complete(null);
    }

    /** Whether it has FAILED: it then starts no more environments. */
    synchronized boolean failed() {
        return state == ProvisionedConcurrencyState.FAILED;
    }

    void release() {
        released = true;
        settled.complete(null);
    }

    synchronized LambdaService.ProvisionedConcurrencyStatus status(int initialized) {
        return new LambdaService.ProvisionedConcurrencyStatus(requested, initialized, initialized, state,
                Optional.ofNullable(statusReason), lastModified);
    }

    @Override
    public String toString() {
        return functionName + ":" + qualifier;
    }
}
