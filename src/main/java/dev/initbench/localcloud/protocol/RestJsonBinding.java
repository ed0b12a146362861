package dev.initbench.localcloud.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.initbench.json.Json;
import java.util.concurrent.CompletableFuture;

/**
 * The restJson1 protocol as Lambda speaks it: the service routes on method and path and renders its own JSON;
 * errors carry {@code x-amzn-ErrorType: <code>} and {@code {"Type": "User"|"Service", "Message": …}}.
 */
public final class RestJsonBinding implements ProtocolBinding {

    private final RestService service;

    public RestJsonBinding(RestService service) {
        this.service = service;
    }

    @Override
    public AwsResponse handle(AwsRequest request, String requestId) {
        try {
            return service.handle(request);
        } catch (NotEmulatedException e) {
            throw unknownOperation(request, e);
        }
    }

    /** The service's own asynchronous answer (Lambda Invoke); its routing errors are thrown at once. */
    @Override
    public CompletableFuture<AwsResponse> handleAsync(AwsRequest request, String requestId) {
        try {
            return service.handleAsync(request);
        } catch (NotEmulatedException e) {
            throw unknownOperation(request, e);
        }
    }

    private static AwsServiceException unknownOperation(AwsRequest request, NotEmulatedException e) {
        return new AwsServiceException("UnknownOperationException", 404, request.method() + " "
                + request.rawPath() + " is not an operation emulated by the local cloud"
                + (e.getMessage() == null ? "." : ": " + e.getMessage()));
    }

    @Override
    public AwsResponse renderError(AwsServiceException error, String method, String requestId) {
        ObjectNode body = Json.object();
        body.put("Type", error.senderFault() ? "User" : "Service");
        body.put("Message", error.getMessage());
        error.errorFields().forEach(body::put);
        byte[] bytes = "HEAD".equals(method) ? new byte[0] : AwsJsonBinding.write(body);
        return AwsResponse.of(error.httpStatus(), "application/json", bytes)
                .withHeader("x-amzn-ErrorType", error.errorCode());
    }

    @Override
    public AwsServiceException refused(AuthenticationFailure failure) {
        return switch (failure.kind()) {
            case MISSING -> new AwsServiceException("MissingAuthenticationTokenException", 403, failure.getMessage());
            case MALFORMED -> new AwsServiceException("IncompleteSignatureException", 403, failure.getMessage());
            case UNKNOWN_ACCESS_KEY -> new AwsServiceException("UnrecognizedClientException", 403,
                    "The security token included in the request is invalid. " + failure.getMessage());
            case SIGNATURE_MISMATCH, CONTENT_SHA256_MISMATCH, CLOCK_SKEW, EXPIRED ->
                    new AwsServiceException("InvalidSignatureException", 403, failure.getMessage());
        };
    }

    @Override
    public AwsServiceException internalError(RuntimeException cause) {
        return new AwsServiceException("ServiceException", 500, "The local cloud failed to process the request: "
                + cause);
    }
}
