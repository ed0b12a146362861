package dev.initbench.localcloud.lambda;

/** {@code Status} of a provisioned-concurrency configuration, as GetProvisionedConcurrencyConfig reports it. */
public enum ProvisionedConcurrencyState {
    /** Environments are being allocated and initialized. */
    IN_PROGRESS,
    /** All requested environments initialized. */
    READY,
    /** An environment failed to initialize; the status reason says why. */
    FAILED
}
