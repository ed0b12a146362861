package dev.initbench.localcloud.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.NotEmulatedException;
import dev.initbench.localcloud.protocol.QueryParameters;
import dev.initbench.localcloud.protocol.QueryService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The awsQuery and restJson bindings the CloudFormation and Lambda services are merged behind, exercised with the
 * real CloudFormation and Lambda SDK clients against stand-in services registered exactly as the merge will.
 */
class ProtocolBindingsTest {

    private static final Instant CREATED = Instant.parse("2025-03-10T12:00:00.123Z");
    private static final AtomicReference<AwsRequest> lastLambdaRequest = new AtomicReference<>();
    private static LocalEndpoint endpoint;
    private static CloudFormationClient cloudFormation;
    private static LambdaClient lambda;

    /** Answers DescribeStacks for "bench" and ValidationError for any other stack, like CloudFormation. */
    static final class StandInCloudFormation implements QueryService {
        @Override
        public String xmlNamespace() {
            return "http://cloudformation.amazonaws.com/doc/2010-05-15/";
        }

        @Override
        public Map<String, Object> handle(String action, QueryParameters parameters) {
            if (action.equals("DeleteStack")) {
                return null;
            }
            if (action.equals("ValidateTemplate")) {
                // A bug inside a service: the JDK's own UnsupportedOperationException from an immutable list.
                List.of().add(action);
            }
            if (!action.equals("DescribeStacks")) {
                throw new NotEmulatedException(action);
            }
            String name = parameters.required("StackName");
            if (!name.equals("bench")) {
                throw new AwsServiceException("ValidationError", 400, "Stack with id " + name + " does not exist");
            }
            Map<String, Object> stack = new LinkedHashMap<>();
            stack.put("StackId", "arn:aws:cloudformation:us-east-1:000000000000:stack/bench/1");
            stack.put("StackName", "bench");
            stack.put("CreationTime", CREATED);
            stack.put("StackStatus", "CREATE_COMPLETE");
            stack.put("StackStatusReason", null);
            stack.put("Capabilities", List.of("CAPABILITY_IAM"));
            stack.put("Outputs", List.of(Map.of("OutputKey", "ApiEndpoint", "OutputValue", "http://127.0.0.1:1 & co")));
            return Map.of("Stacks", List.of(stack));
        }
    }

    @BeforeAll
    static void start() {
        endpoint = LocalEndpoint.bind(0);
        endpoint.serve(new ServiceRegistry()
                .query("cloudformation", new StandInCloudFormation())
                .restJson("lambda", request -> {
                    lastLambdaRequest.set(request);
                    if (!request.method().equals("GET") || !request.path().startsWith("/2015-03-31/functions/")) {
                        throw new NotEmulatedException();
                    }
                    if (request.path().endsWith(":buggy")) {
                        Map.of().clear();
                    }
                    if (request.path().endsWith(":missing")) {
                        throw new AwsServiceException("ResourceNotFoundException", 404,
                                "Function not found: " + request.path().substring("/2015-03-31/functions/".length()));
                    }
                    return AwsResponse.json(200, "{\"Configuration\":{\"FunctionName\":\"fn\",\"MemorySize\":1024}}");
                }), LocalCloud.DEFAULT_ACCESS_KEY_ID, LocalCloud.DEFAULT_SECRET_ACCESS_KEY);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                LocalCloud.DEFAULT_ACCESS_KEY_ID, LocalCloud.DEFAULT_SECRET_ACCESS_KEY));
        cloudFormation = CloudFormationClient.builder().endpointOverride(endpoint.uri()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build();
        lambda = LambdaClient.builder().endpointOverride(endpoint.uri()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build();
    }

    @AfterAll
    static void stop() {
        cloudFormation.close();
        lambda.close();
        endpoint.close();
    }

    @Test
    void awsQueryResultIsParsedBySdkWithListsTimestampsAndEscapedText() {
        Stack stack = cloudFormation.describeStacks(b -> b.stackName("bench")).stacks().get(0);

        assertThat(stack.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(stack.creationTime()).isEqualTo(CREATED);
        assertThat(stack.capabilitiesAsStrings()).containsExactly("CAPABILITY_IAM");
        assertThat(stack.outputs().get(0).outputValue()).isEqualTo("http://127.0.0.1:1 & co");
        assertThat(stack.stackStatusReason()).isNull();
    }

    @Test
    void awsQueryOperationWithoutOutputAndValidationErrorAreWhatTheWaitersExpect() {
        cloudFormation.deleteStack(b -> b.stackName("bench"));

        assertThatThrownBy(() -> cloudFormation.describeStacks(b -> b.stackName("gone")))
                .isInstanceOfSatisfying(CloudFormationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Stack with id gone does not exist");
                    assertThat(e.requestId()).isNotBlank();
                });
    }

    @Test
    void restJsonPathWithAnArnIsDecodedAndItsDoubleEncodedSignatureVerifies() {
        GetFunctionResponse response = lambda.getFunction(b -> b
                .functionName("arn:aws:lambda:us-east-1:000000000000:function:fn"));

        assertThat(response.configuration().memorySize()).isEqualTo(1024);
        assertThat(lastLambdaRequest.get().path())
                .isEqualTo("/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:fn");
        assertThat(lastLambdaRequest.get().signingName()).isEqualTo("lambda");
    }

    @Test
    void restJsonErrorsBecomeTheModeledExceptionAndUnknownRoutesNameTheRequest() {
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("fn:missing")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Function not found: fn:missing");
        assertThatThrownBy(() -> lambda.listFunctions())
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("/2015-03-31/functions")
                            .contains("not an operation emulated");
                });
    }

    @Test
    void notEmulatedIsTheProtocolsUnknownOperationButAJdkUnsupportedOperationIsAnInternalError() {
        assertThatThrownBy(() -> cloudFormation.listStacks())
                .isInstanceOfSatisfying(CloudFormationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAction");
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("ListStacks", "not emulated");
                });
        assertThatThrownBy(() -> cloudFormation.validateTemplate(b -> b.templateBody("{}")))
                .isInstanceOfSatisfying(CloudFormationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("UnsupportedOperationException")
                            .doesNotContain("not emulated");
                });
        assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName("fn:buggy")))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceException");
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.awsErrorDetails().errorMessage()).doesNotContain("not emulated");
                });
    }

    @Test
    void wrongSecretForLambdaIsInvalidSignatureException403() {
        try (LambdaClient wrong = LambdaClient.builder().endpointOverride(endpoint.uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalCloud.DEFAULT_ACCESS_KEY_ID, "wrong")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1))).build()) {
            assertThatThrownBy(() -> wrong.getFunction(b -> b.functionName("fn")))
                    .isInstanceOfSatisfying(LambdaException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                        assertThat(e.statusCode()).isEqualTo(403);
                    });
        }
    }
}
