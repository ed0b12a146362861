package dev.initbench.localcloud.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.protocol.AwsServiceException;
import org.junit.jupiter.api.Test;

class ResourceFailedExceptionTest {

    @Test
    void serviceErrorIsWordedAsCloudFormationWordsAHandlerFailure() {
        AwsServiceException error = new AwsServiceException("InvalidParameterValueException", 400,
                "The role defined for the function cannot be assumed by Lambda.");

        ResourceFailedException failed = ResourceFailedException.handlerReturned("Lambda", error);

        assertThat(failed).hasMessage("Resource handler returned message: \"The role defined for the function cannot "
                + "be assumed by Lambda. (Service: Lambda, Status Code: 400, Error Code: "
                + "InvalidParameterValueException)\" (HandlerErrorCode: InvalidRequest)").hasCause(error);
    }

    @Test
    void handlerErrorCodeFollowsTheErrorCodeBeforeTheStatus() {
        assertThat(HandlerErrorCode.forServiceError("EntityAlreadyExists", 409))
                .isEqualTo(HandlerErrorCode.AlreadyExists);
        assertThat(HandlerErrorCode.forServiceError("ResourceAlreadyExistsException", 400))
                .isEqualTo(HandlerErrorCode.AlreadyExists);
        assertThat(HandlerErrorCode.forServiceError("NoSuchKey", 400)).isEqualTo(HandlerErrorCode.NotFound);
        assertThat(HandlerErrorCode.forServiceError("ResourceNotFoundException", 404))
                .isEqualTo(HandlerErrorCode.NotFound);
        assertThat(HandlerErrorCode.forServiceError("AccessDenied", 403)).isEqualTo(HandlerErrorCode.AccessDenied);
        assertThat(HandlerErrorCode.forServiceError("ResourceConflictException", 409))
                .isEqualTo(HandlerErrorCode.ResourceConflict);
        assertThat(HandlerErrorCode.forServiceError("TooManyRequestsException", 429))
                .isEqualTo(HandlerErrorCode.Throttling);
        assertThat(HandlerErrorCode.forServiceError("ServiceException", 500))
                .isEqualTo(HandlerErrorCode.ServiceInternalError);
        assertThat(HandlerErrorCode.forServiceError("ValidationError", 400)).isEqualTo(HandlerErrorCode.InvalidRequest);
    }

    @Test
    void handlersOwnFailureNamesItsCode() {
        assertThat(ResourceFailedException.handlerReturned("Provisioned Concurrency configuration failed to be "
                + "applied. Reason: FAILED", HandlerErrorCode.NotStabilized))
                .hasMessage("Resource handler returned message: \"Provisioned Concurrency configuration failed to be "
                        + "applied. Reason: FAILED\" (HandlerErrorCode: NotStabilized)")
                .hasNoCause();
    }
}
