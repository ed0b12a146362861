package dev.initbench.localcloud.protocol;

/**
 * An error a service provider answers with, in AWS's terms. The protocol layer renders it in the wire shape of the
 * service's protocol (awsQuery {@code ErrorResponse}, awsJson {@code __type}, restXml {@code Error},
 * restJson {@code x-amzn-ErrorType}), so providers never format errors themselves.
 */
public class AwsServiceException extends RuntimeException {

    private final String errorCode;
    private final int httpStatus;

    /**
     * @param errorCode  AWS's error code, e.g. {@code ValidationError}, {@code ParameterNotFound}, {@code NoSuchKey}
     * @param httpStatus the status AWS answers this error with (400 for most client faults)
     * @param message    the message, naming what is wrong and, where it helps, the fix
     */
    public AwsServiceException(String errorCode, int httpStatus, String message) {
        super(message);
        this.errorCode = errorCode;
        this.httpStatus = httpStatus;
    }

    public String errorCode() {
        return errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Members of the error's shape beside its message, as the service's model names them (e.g. Lambda's
     * {@code TooManyRequestsException.Reason}); rendered into the body by the protocols that carry them (restJson).
     */
    public java.util.Map<String, String> errorFields() {
        return java.util.Map.of();
    }

    /** True for client faults (4xx): awsQuery renders these with {@code <Type>Sender</Type>}. */
    public boolean senderFault() {
        return httpStatus < 500;
    }
}
