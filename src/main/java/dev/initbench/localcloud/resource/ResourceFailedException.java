package dev.initbench.localcloud.resource;

/** A resource could not be created or deleted; the message becomes the event's {@code ResourceStatusReason}. */
public class ResourceFailedException extends RuntimeException {

    public ResourceFailedException(String reason) {
        super(reason);
    }

    public ResourceFailedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
