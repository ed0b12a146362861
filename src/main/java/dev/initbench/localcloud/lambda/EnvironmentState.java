package dev.initbench.localcloud.lambda;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of an execution environment, owned by {@link EnvironmentPool} (the only code that changes it):
 * {@code STARTING → INITIALIZING → IDLE ⇄ BUSY}, ending in {@code STOPPED} (ended on purpose: reaped, deleted,
 * replaced, closed) or {@code FAILED} (init failed or timed out, runtime died, invocation timed out), each end with a
 * reason. An on-demand environment started for a request goes from INITIALIZING straight to BUSY.
 */
public enum EnvironmentState {
    /** Registered; its Runtime API and process are being started. */
    STARTING,
    /** The runtime process runs its init phase. */
    INITIALIZING,
    /** Initialized and waiting for an invocation. */
    IDLE,
    /** Leased to one invocation. */
    BUSY,
    /** Ended on purpose. */
    STOPPED,
    /** Ended by a failure. */
    FAILED;

    /** True for STOPPED and FAILED: no way out. */
    public boolean terminal() {
        return this == STOPPED || this == FAILED;
    }

    /** The states this one may move to. */
    Set<EnvironmentState> next() {
        return switch (this) {
            case STARTING -> EnumSet.of(INITIALIZING, STOPPED, FAILED);
            case INITIALIZING -> EnumSet.of(IDLE, BUSY, STOPPED, FAILED);
            case IDLE -> EnumSet.of(BUSY, STOPPED, FAILED);
            case BUSY -> EnumSet.of(IDLE, STOPPED, FAILED);
            case STOPPED, FAILED -> EnumSet.noneOf(EnvironmentState.class);
        };
    }
}
