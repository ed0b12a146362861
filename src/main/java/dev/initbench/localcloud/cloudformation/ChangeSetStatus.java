package dev.initbench.localcloud.cloudformation;

/**
 * A change set's status; the constant's name is the wire value. The local cloud computes a change set within
 * CreateChangeSet, so it is never seen pending or in progress.
 */
enum ChangeSetStatus {
    CREATE_COMPLETE,
    /** It could not be computed, or contains no changes ({@code StatusReason} says which). */
    FAILED
}
