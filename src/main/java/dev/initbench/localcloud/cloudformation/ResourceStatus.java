package dev.initbench.localcloud.cloudformation;

import java.util.Optional;

/** A stack resource's status; the constant's name is the wire value of {@code ResourceStatus}. */
enum ResourceStatus {
    CREATE_IN_PROGRESS, CREATE_FAILED, CREATE_COMPLETE,
    DELETE_IN_PROGRESS, DELETE_FAILED, DELETE_COMPLETE, DELETE_SKIPPED,
    UPDATE_IN_PROGRESS, UPDATE_FAILED, UPDATE_COMPLETE;

    /** The failure a resource restored in this status is given, because its operation died with the process. */
    Optional<ResourceStatus> afterInterruption() {
        return Optional.ofNullable(switch (this) {
            case CREATE_IN_PROGRESS -> CREATE_FAILED;
            case DELETE_IN_PROGRESS -> DELETE_FAILED;
            case UPDATE_IN_PROGRESS -> UPDATE_FAILED;
            default -> null;
        });
    }
}
