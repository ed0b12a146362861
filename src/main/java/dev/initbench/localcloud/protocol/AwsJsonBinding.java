package dev.initbench.localcloud.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.initbench.json.Json;

/**
 * The awsJson 1.0/1.1 protocol (SSM, CloudWatch Logs): {@code POST /} with {@code X-Amz-Target: Prefix.Operation},
 * JSON in and out, errors as {@code {"__type": code, "message": text}}.
 */
public final class AwsJsonBinding implements ProtocolBinding {

    private final JsonService service;

    public AwsJsonBinding(JsonService service) {
        this.service = service;
    }

    @Override
    public AwsResponse handle(AwsRequest request, String requestId) {
        String target = request.header("x-amz-target").orElseThrow(() -> unknownOperation(
                "The request has no X-Amz-Target header; awsJson requests name their operation as X-Amz-Target: "
                        + service.targetPrefix() + ".<Operation>."));
        int dot = target.lastIndexOf('.');
        if (dot < 0 || !target.substring(0, dot).equals(service.targetPrefix())) {
            throw unknownOperation("X-Amz-Target '" + target + "' does not belong to this service: expected "
                    + service.targetPrefix() + ".<Operation>.");
        }
        String operation = target.substring(dot + 1);
        JsonNode input = parse(request);
        JsonNode output;
        try {
            output = service.handle(operation, input);
        } catch (NotEmulatedException e) {
            throw unknownOperation("Operation " + operation + " (X-Amz-Target " + target
                    + ") is not emulated by the local cloud.");
        }
        return AwsResponse.of(200, contentType(request), write(output == null ? Json.object() : output));
    }

    private static JsonNode parse(AwsRequest request) {
        if (request.body().length == 0) {
            return Json.object();
        }
        try {
            JsonNode input = Json.READER.readTree(request.body());
            if (input == null || !input.isObject()) {
                throw new AwsServiceException("SerializationException", 400,
                        "The request body must be a JSON object, got: " + abbreviate(request.bodyText()));
            }
            return input;
        } catch (JsonProcessingException e) {
            throw new AwsServiceException("SerializationException", 400, "The request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    /** Answers in the JSON version the client used (SSM and Logs both speak 1.1). */
    private static String contentType(AwsRequest request) {
        return request.header("content-type").filter(t -> t.startsWith("application/x-amz-json-1.0"))
                .map(t -> "application/x-amz-json-1.0").orElse("application/x-amz-json-1.1");
    }

    private static AwsServiceException unknownOperation(String message) {
        return new AwsServiceException("UnknownOperationException", 400, message);
    }

    /** The tree as JSON bytes; RestJsonBinding renders its error bodies with it too. */
    static byte[] write(JsonNode node) {
        try {
            return Json.WRITER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    @Override
    public AwsResponse renderError(AwsServiceException error, String method, String requestId) {
        ObjectNode body = Json.object();
        body.put("__type", error.errorCode());
        body.put("message", error.getMessage());
        return AwsResponse.of(error.httpStatus(), "application/x-amz-json-1.1", write(body))
                .withHeader("x-amzn-ErrorType", error.errorCode());
    }

    @Override
    public AwsServiceException refused(AuthenticationFailure failure) {
        return switch (failure.kind()) {
            case MISSING -> new AwsServiceException("MissingAuthenticationTokenException", 400, failure.getMessage());
            case MALFORMED -> new AwsServiceException("IncompleteSignatureException", 400, failure.getMessage());
            case UNKNOWN_ACCESS_KEY -> new AwsServiceException("UnrecognizedClientException", 400,
                    "The security token included in the request is invalid. " + failure.getMessage());
            case SIGNATURE_MISMATCH, CONTENT_SHA256_MISMATCH, CLOCK_SKEW, EXPIRED ->
                    new AwsServiceException("InvalidSignatureException", 400, failure.getMessage());
        };
    }

    @Override
    public AwsServiceException internalError(RuntimeException cause) {
        return new AwsServiceException("InternalServerError", 500, "The local cloud failed to process the request: "
                + cause);
    }

}
