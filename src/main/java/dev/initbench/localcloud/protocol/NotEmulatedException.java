package dev.initbench.localcloud.protocol;

/**
 * The request names an operation, sub-resource or parameter the local cloud does not emulate. The protocol binding
 * answers it with that protocol's unknown-operation error (awsQuery {@code InvalidAction}, awsJson
 * {@code UnknownOperationException}, S3 {@code NotImplemented}, Lambda {@code UnknownOperationException}).
 *
 * <p>A type of its own, so that a JDK {@link UnsupportedOperationException} thrown by a bug (an immutable list
 * modified, say) is reported as the internal error it is, not as "not emulated".
 */
public final class NotEmulatedException extends RuntimeException {

    /** For a request whose method and path (which the binding's error names) say all there is to say. */
    public NotEmulatedException() {
        super();
    }

    /** @param message what is not emulated and, where there is one, the emulated alternative */
    public NotEmulatedException(String message) {
        super(message);
    }
}
