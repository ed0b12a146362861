package dev.initbench.localcloud.resource;

/**
 * The CloudFormation resource-handler error codes a failed resource event names ({@code HandlerErrorCode: …} at
 * the end of its {@code ResourceStatusReason}); the subset the local cloud's providers can fail with.
 */
public enum HandlerErrorCode {
    InvalidRequest,
    AccessDenied,
    NotFound,
    AlreadyExists,
    ResourceConflict,
    Throttling,
    NotStabilized,
    ServiceInternalError;

    /** The code a handler reports for a service error, as the AWS handlers map them: by error code, then status. */
    public static HandlerErrorCode forServiceError(String errorCode, int httpStatus) {
        if (errorCode.contains("AlreadyExists")) {
            return AlreadyExists;
        }
        if (errorCode.contains("NotFound") || errorCode.startsWith("NoSuch") || httpStatus == 404) {
            return NotFound;
        }
        return switch (httpStatus) {
            case 403 -> AccessDenied;
            case 409 -> ResourceConflict;
            case 429 -> Throttling;
            default -> httpStatus >= 500 ? ServiceInternalError : InvalidRequest;
        };
    }
}
