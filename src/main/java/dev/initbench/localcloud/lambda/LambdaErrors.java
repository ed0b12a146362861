package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.protocol.AwsServiceException;

/** The Lambda API's errors, in AWS's codes and statuses. */
final class LambdaErrors {

    private LambdaErrors() {
    }

    static AwsServiceException invalid(String message) {
        return new AwsServiceException("InvalidParameterValueException", 400, message);
    }

    static AwsServiceException notFound(String message) {
        return new AwsServiceException("ResourceNotFoundException", 404, message);
    }

    static AwsServiceException conflict(String message) {
        return new AwsServiceException("ResourceConflictException", 409, message);
    }

    static AwsServiceException serviceClosed() {
        return new AwsServiceException("ServiceException", 500, "the local Lambda service is closed");
    }
}
