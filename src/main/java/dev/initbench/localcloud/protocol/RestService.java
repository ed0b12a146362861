package dev.initbench.localcloud.protocol;

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
}
