package dev.initbench.localcloud.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The restXml protocol as S3 speaks it: the service routes on method and path; errors are
 * {@code <Error><Code>…</Code><Message>…</Message><RequestId>…</RequestId></Error>} (no body for HEAD).
 */
public final class RestXmlBinding implements ProtocolBinding {

    private final RestService service;

    public RestXmlBinding(RestService service) {
        this.service = service;
    }

    @Override
    public AwsResponse handle(AwsRequest request, String requestId) {
        try {
            return service.handle(request);
        } catch (NotEmulatedException e) {
            throw new AwsServiceException("NotImplemented", 501, request.method() + " " + request.rawPath()
                    + (request.query().isEmpty() ? "" : " with ?" + String.join("&", request.query().keySet()))
                    + " is not emulated by the local cloud"
                    + (e.getMessage() == null ? "." : ": " + e.getMessage()));
        }
    }

    @Override
    public AwsResponse renderError(AwsServiceException error, String method, String requestId) {
        if ("HEAD".equals(method)) {
            return AwsResponse.empty(error.httpStatus());
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        Xml.element(xml, "Code", error.errorCode());
        Xml.element(xml, "Message", error.getMessage());
        Xml.element(xml, "RequestId", requestId);
        Xml.element(xml, "HostId", requestId);
        xml.append("</Error>");
        return AwsResponse.of(error.httpStatus(), "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public AwsServiceException refused(AuthenticationFailure failure) {
        return switch (failure.kind()) {
            case MISSING -> new AwsServiceException("AccessDenied", 403, "Access Denied. " + failure.getMessage());
            case MALFORMED -> new AwsServiceException("AuthorizationHeaderMalformed", 400, failure.getMessage());
            case UNKNOWN_ACCESS_KEY -> new AwsServiceException("InvalidAccessKeyId", 403,
                    "The AWS Access Key Id you provided does not exist in our records. " + failure.getMessage());
            case SIGNATURE_MISMATCH -> new AwsServiceException("SignatureDoesNotMatch", 403, failure.getMessage());
            case CONTENT_SHA256_MISMATCH ->
                    new AwsServiceException("XAmzContentSHA256Mismatch", 400, failure.getMessage());
            case CLOCK_SKEW -> new AwsServiceException("RequestTimeTooSkewed", 403, "The difference between the "
                    + "request time and the current time is too large. " + failure.getMessage());
            case EXPIRED -> new AwsServiceException("AccessDenied", 403, failure.getMessage());
        };
    }

    @Override
    public AwsServiceException internalError(RuntimeException cause) {
        return new AwsServiceException("InternalError", 500, "The local cloud failed to process the request: "
                + cause);
    }
}
