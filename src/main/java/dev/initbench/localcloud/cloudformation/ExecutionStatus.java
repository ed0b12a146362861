package dev.initbench.localcloud.cloudformation;

/** Whether a change set can be executed, and how its execution went; the constant's name is the wire value. */
enum ExecutionStatus {
    UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED,
    /** Another change set or an UpdateStack changed the stack after this one was created. */
    OBSOLETE
}
