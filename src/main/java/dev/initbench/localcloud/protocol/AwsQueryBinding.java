package dev.initbench.localcloud.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The awsQuery protocol (CloudFormation, IAM): form-encoded {@code Action=...} requests, XML responses
 * {@code <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…} and {@code <ErrorResponse>} errors.
 */
public final class AwsQueryBinding implements ProtocolBinding {

    private final QueryService service;

    public AwsQueryBinding(QueryService service) {
        this.service = service;
    }

    @Override
    public AwsResponse handle(AwsRequest request, String requestId) {
        QueryParameters parameters = formParameters(request);
        String action = parameters.get("Action").orElseThrow(() -> new AwsServiceException("MissingAction", 400,
                "The request must contain the parameter Action (awsQuery requests are POST / with a form body "
                        + "Action=<Operation>&Version=<api version>)."));
        Map<String, Object> result;
        try {
            result = service.handle(action, parameters, request);
        } catch (NotEmulatedException e) {
            throw new AwsServiceException("InvalidAction", 400, "The action " + action
                    + " is not valid for this web service: it is not emulated by the local cloud.");
        }
        StringBuilder xml = new StringBuilder(256);
        xml.append("<").append(action).append("Response xmlns=\"").append(service.xmlNamespace()).append("\">");
        if (result != null) {
            xml.append('<').append(action).append("Result>");
            writeMembers(xml, result);
            xml.append("</").append(action).append("Result>");
        }
        xml.append("<ResponseMetadata>");
        Xml.element(xml, "RequestId", requestId);
        xml.append("</ResponseMetadata></").append(action).append("Response>");
        return AwsResponse.of(200, "text/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The form body's parameters, plus any in the URL query (awsQuery also accepts GET). */
    private static QueryParameters formParameters(AwsRequest request) {
        Map<String, String> values = new java.util.LinkedHashMap<>();
        request.query().forEach((name, list) -> values.put(name, list.get(0)));
        boolean form = request.header("content-type").map(t -> t.startsWith("application/x-www-form-urlencoded"))
                .orElse(true);
        if (form) {
            QueryString.parse(request.bodyText(), QueryString.Encoding.FORM)
                    .forEach(p -> values.put(p.name(), p.value()));
        }
        return new QueryParameters(values);
    }

    private static void writeMembers(StringBuilder xml, Map<?, ?> members) {
        members.forEach((name, value) -> {
            if (value != null) {
                writeValue(xml, String.valueOf(name), value);
            }
        });
    }

    private static void writeValue(StringBuilder xml, String name, Object value) {
        if (value instanceof Map<?, ?> map) {
            xml.append('<').append(name).append('>');
            writeMembers(xml, map);
            xml.append("</").append(name).append('>');
        } else if (value instanceof List<?> list) {
            xml.append('<').append(name).append('>');
            for (Object item : list) {
                writeValue(xml, "member", item);
            }
            xml.append("</").append(name).append('>');
        } else if (value instanceof Instant instant) {
            Xml.element(xml, name, Xml.timestamp(instant));
        } else {
            Xml.element(xml, name, value);
        }
    }

    @Override
    public AwsResponse renderError(AwsServiceException error, String method, String requestId) {
        StringBuilder xml = new StringBuilder(256);
        xml.append("<ErrorResponse xmlns=\"").append(service.xmlNamespace()).append("\"><Error>");
        Xml.element(xml, "Type", error.senderFault() ? "Sender" : "Receiver");
        Xml.element(xml, "Code", error.errorCode());
        Xml.element(xml, "Message", error.getMessage());
        xml.append("</Error>");
        Xml.element(xml, "RequestId", requestId);
        xml.append("</ErrorResponse>");
        return AwsResponse.of(error.httpStatus(), "text/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public AwsServiceException refused(AuthenticationFailure failure) {
        return switch (failure.kind()) {
            case MISSING -> new AwsServiceException("MissingAuthenticationToken", 403, failure.getMessage());
            case MALFORMED -> new AwsServiceException("IncompleteSignature", 400, failure.getMessage());
            case UNKNOWN_ACCESS_KEY -> new AwsServiceException("InvalidClientTokenId", 403,
                    "The security token included in the request is invalid. " + failure.getMessage());
            case SIGNATURE_MISMATCH, CONTENT_SHA256_MISMATCH, CLOCK_SKEW ->
                    new AwsServiceException("SignatureDoesNotMatch", 403, failure.getMessage());
            case EXPIRED -> new AwsServiceException("RequestExpired", 400, failure.getMessage());
        };
    }

    @Override
    public AwsServiceException internalError(RuntimeException cause) {
        return new AwsServiceException("InternalFailure", 500, "The local cloud failed to process the request: "
                + cause);
    }
}
