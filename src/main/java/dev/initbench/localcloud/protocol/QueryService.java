package dev.initbench.localcloud.protocol;

import java.util.Map;

/**
 * A service provider behind the awsQuery protocol (CloudFormation, IAM).
 *
 * <p>The returned result is rendered by the protocol layer as {@code <ActionResponse><ActionResult>...}
 * followed by {@code <ResponseMetadata>}: a {@code Map} becomes child elements in its iteration order (use a
 * {@code LinkedHashMap}), a {@code List} becomes {@code <member>} children, {@code java.time.Instant} an ISO-8601
 * timestamp, {@code null} values are left out. A {@code null} result (operations without output, e.g. DeleteStack)
 * renders only the response metadata.
 */
public interface QueryService {

    /** The XML namespace of responses, e.g. {@code http://cloudformation.amazonaws.com/doc/2010-05-15/}. */
    String xmlNamespace();

    /**
     * Performs one action.
     *
     * @throws AwsServiceException with AWS's error code; an unknown action is the protocol layer's concern
     *                             only if this method throws {@link NotEmulatedException}
     */
    Map<String, Object> handle(String action, QueryParameters parameters);

    /**
     * Performs one action for a request whose headers matter (STS reads the session token to know the caller);
     * by default the headers are not needed.
     */
    default Map<String, Object> handle(String action, QueryParameters parameters, AwsRequest request) {
        return handle(action, parameters);
    }
}
