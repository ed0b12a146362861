package dev.initbench.localcloud.protocol;

/**
 * One service behind one AWS wire protocol: it turns a verified request into the service's operation and renders
 * the result and every error in that protocol's shape. The endpoint picks the binding by SigV4 signing name.
 */
public interface ProtocolBinding {

    /**
     * Performs the request and renders the successful response.
     *
     * @throws AwsServiceException with AWS's code for the failure, including the protocol's own unknown-operation
     *                             error when the service does not emulate the operation
     */
    AwsResponse handle(AwsRequest request, String requestId);

    /** Renders an error in this protocol's shape; {@code method} matters for HEAD (no body). */
    AwsResponse renderError(AwsServiceException error, String method, String requestId);

    /** The error this service answers a refused (unauthenticated) request with. */
    AwsServiceException refused(AuthenticationFailure failure);

    /** The error for a fault inside the local cloud itself (AWS answers these with 500). */
    AwsServiceException internalError(RuntimeException cause);
}
