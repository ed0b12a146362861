package dev.initbench.localcloud.protocol;

import java.util.concurrent.CompletableFuture;

/**
 * A service provider behind a REST protocol (restXml: S3; restJson: Lambda): it routes on method and path itself
 * and renders its own successful responses; errors are thrown as {@link AwsServiceException} and rendered by the
 * protocol layer.
 */
public interface RestService {

    /**
     * @throws AwsServiceException          with AWS's error code and status
     * @throws NotEmulatedException          when the request matches no emulated operation
     */
    AwsResponse handle(AwsRequest request);

    /**
     * As {@link #handle}, answered when the future completes, for operations that wait (see
     * {@link ProtocolBinding#handleAsync}); a failure is thrown at once or completes the future exceptionally. This
     * default answers at once through {@link #handle}.
     */
    default CompletableFuture<AwsResponse> handleAsync(AwsRequest request) {
        return CompletableFuture.completedFuture(handle(request));
    }
}
