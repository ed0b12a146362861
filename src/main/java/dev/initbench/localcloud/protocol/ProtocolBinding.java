package dev.initbench.localcloud.protocol;

import java.util.concurrent.CompletableFuture;

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

    /**
     * As {@link #handle}, for an operation whose answer waits on something that takes its time (Lambda Invoke waits
     * for the function): the endpoint writes the response when the future completes, and no thread waits meanwhile.
     * A failure may be thrown at once or complete the future, with the same exceptions as {@link #handle}. This
     * default answers at once through {@link #handle}.
     */
    default CompletableFuture<AwsResponse> handleAsync(AwsRequest request, String requestId) {
        return CompletableFuture.completedFuture(handle(request, requestId));
    }

    /** Renders an error in this protocol's shape; {@code method} matters for HEAD (no body). */
    AwsResponse renderError(AwsServiceException error, String method, String requestId);

    /** The error this service answers a refused (unauthenticated) request with. */
    AwsServiceException refused(AuthenticationFailure failure);

    /** The error for a fault inside the local cloud itself (AWS answers these with 500). */
    AwsServiceException internalError(RuntimeException cause);
}
