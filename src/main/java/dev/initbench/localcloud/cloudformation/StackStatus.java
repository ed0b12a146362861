package dev.initbench.localcloud.cloudformation;

import java.util.Optional;

/** A stack's status; the constant's name is the wire value of {@code StackStatus}. */
enum StackStatus {
    CREATE_IN_PROGRESS, CREATE_FAILED, CREATE_COMPLETE,
    ROLLBACK_IN_PROGRESS, ROLLBACK_FAILED, ROLLBACK_COMPLETE,
    DELETE_IN_PROGRESS, DELETE_FAILED, DELETE_COMPLETE,
    UPDATE_IN_PROGRESS, UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, UPDATE_COMPLETE, UPDATE_FAILED,
    UPDATE_ROLLBACK_IN_PROGRESS, UPDATE_ROLLBACK_FAILED, UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS,
    UPDATE_ROLLBACK_COMPLETE,
    /** Created by a CREATE change set that has not been executed: the stack has no template or resources yet. */
    REVIEW_IN_PROGRESS;

    /** An operation is running on the stack (REVIEW_IN_PROGRESS is waiting for one, not running one). */
    boolean isOperationRunning() {
        return this != REVIEW_IN_PROGRESS && name().endsWith("_IN_PROGRESS");
    }

    /** UpdateStack and UPDATE change sets accept a stack in this status (AWS: the settled, non-failed states). */
    boolean isUpdatable() {
        return this == CREATE_COMPLETE || this == UPDATE_COMPLETE || this == UPDATE_ROLLBACK_COMPLETE
                || this == UPDATE_FAILED;
    }

    /**
     * The status a stack restored in this status is given, because its operation died with the process: the
     * failure of that operation, or, when only cleanup was left, the operation's outcome.
     */
    Optional<StackStatus> afterInterruption() {
        return Optional.ofNullable(switch (this) {
            case CREATE_IN_PROGRESS -> CREATE_FAILED;
            case ROLLBACK_IN_PROGRESS -> ROLLBACK_FAILED;
            case DELETE_IN_PROGRESS -> DELETE_FAILED;
            case UPDATE_IN_PROGRESS, UPDATE_ROLLBACK_IN_PROGRESS -> UPDATE_ROLLBACK_FAILED;
            case UPDATE_COMPLETE_CLEANUP_IN_PROGRESS -> UPDATE_COMPLETE;
            case UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS -> UPDATE_ROLLBACK_COMPLETE;
            default -> null;
        });
    }
}
