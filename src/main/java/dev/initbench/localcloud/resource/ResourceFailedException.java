package dev.initbench.localcloud.resource;

import dev.initbench.localcloud.protocol.AwsServiceException;

/** A resource could not be created or deleted; the message becomes the event's {@code ResourceStatusReason}. */
public class ResourceFailedException extends RuntimeException {

    public ResourceFailedException(String reason) {
        super(reason);
    }

    public ResourceFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /**
     * The failure of a resource handler whose service call was refused, worded as CloudFormation words it:
     * {@code Resource handler returned message: "<message> (Service: <service>, Status Code: <status>, Error Code:
     * <code>)" (HandlerErrorCode: <handler code>)}.
     *
     * @param service the service's name as the AWS SDK names it in messages, e.g. {@code Lambda}, {@code Iam},
     *                {@code CloudWatchLogs}
     */
    public static ResourceFailedException handlerReturned(String service, AwsServiceException error) {
        return handlerReturned(service, error.httpStatus(), error.errorCode(), error.getMessage(), error);
    }

    /** As {@link #handlerReturned(String, AwsServiceException)}, for a refusal that is not an AwsServiceException. */
    public static ResourceFailedException handlerReturned(String service, int httpStatus, String errorCode,
                                                          String message, Throwable cause) {
        return new ResourceFailedException(reason(message + " (Service: " + service + ", Status Code: " + httpStatus
                + ", Error Code: " + errorCode + ")", HandlerErrorCode.forServiceError(errorCode, httpStatus)), cause);
    }

    /** A handler's own failure (no service error behind it), e.g. a resource that never stabilized. */
    public static ResourceFailedException handlerReturned(String message, HandlerErrorCode code) {
        return new ResourceFailedException(reason(message, code));
    }

    private static String reason(String message, HandlerErrorCode code) {
        return "Resource handler returned message: \"" + message + "\" (HandlerErrorCode: " + code + ")";
    }
}
