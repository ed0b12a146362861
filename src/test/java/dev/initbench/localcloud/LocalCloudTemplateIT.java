package dev.initbench.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateStackRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackResourceSummary;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * Deploys the repository's {@code template.yaml} into a {@link LocalCloud} through unchanged AWS SDK v2 clients and
 * the SDK's own waiters, calls both HTTP routes, reads the REPORT lines back from CloudWatch Logs, deletes the stack
 * and finds nothing left: no function, no parameter, no role, no runtime-client process. Then bad templates and bad
 * requests, each refused with AWS's error code and a message naming the cause, and none leaving a resource behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalCloudTemplateIT {

    private static final Path TEMPLATE = Path.of("template.yaml");
    private static final String ARTIFACT_BUCKET = "initbench-artifacts";
    private static final String ARTIFACT_KEY = "functions/initbench-functions.zip";
    private static final String PARAMETER_DEFAULT = "hello from Parameter Store";
    /** A resource's {@code Type} line in template.yaml (resources are indented two spaces, their keys four). */
    private static final Pattern RESOURCE_TYPE_LINE = Pattern.compile("(?m)^    Type: AWS::");
    /** A resource of a strategy the template does not deploy by default (async-init, esm, cjs). */
    private static final Pattern OPT_IN_RESOURCE_LINE = Pattern.compile("(?m)^    Condition: (AsyncInit|Esm|Cjs)Selected$");
    private static final String RUNTIME_CLIENT_MAIN = "runtime.api.client.AWSLambda";
    /** The SDK's default waiter delay is 30 s; the local cloud moves in milliseconds, so poll twice a second. */
    private static final WaiterOverrideConfiguration FAST_POLLING = WaiterOverrideConfiguration.builder()
            .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(500)))
            .maxAttempts(360)
            .waitTimeout(Duration.ofMinutes(3))
            .build();
    private static final Pattern ROLE_NAME = Pattern.compile("<RoleName>([^<]+)</RoleName>");
    private static final AtomicInteger STACK_COUNTER = new AtomicInteger();

    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();

    private CloudFormationClient cloudFormation;
    private S3Client s3;
    private LambdaClient lambda;
    private CloudWatchLogsClient logs;
    private SsmClient ssm;
    private String templateBody;

    @BeforeAll
    void startCloud() throws IOException {
        templateBody = Files.readString(TEMPLATE);
        cloudFormation = CLOUD.client(TestClients::cloudFormation);
        s3 = CLOUD.client(TestClients::s3);
        lambda = CLOUD.client(TestClients::lambda);
        logs = CLOUD.client(TestClients::logs);
        ssm = CLOUD.client(TestClients::ssm);
        CLOUD.afterClose(() -> assertThat(runtimeClientProcesses())
                .as("runtime-client JVMs of this test after the cloud closed").isEmpty());
        String artifactPath = System.getProperty("lambda.artifact.path");
        assertThat(artifactPath).as("system property lambda.artifact.path (set by failsafe; run through Maven)")
                .isNotBlank();
        Path artifact = Path.of(artifactPath);
        assertThat(artifact).as("Lambda artifact built by the Maven build").isRegularFile();
        s3.createBucket(b -> b.bucket(ARTIFACT_BUCKET));
        s3.putObject(b -> b.bucket(ARTIFACT_BUCKET).key(ARTIFACT_KEY), RequestBody.fromFile(artifact));
    }

    @Test
    void deploysTemplateCallsBothRoutesAndDeletesEverything() throws Exception {
        String stackName = uniqueStackName("template");
        String stackId = cloudFormation.createStack(b -> b.stackName(stackName).templateBody(templateBody)
                .parameters(templateParameters(Map.of("ProvisionedConcurrency", "2", "MemorySize", "512")))
                .capabilities(Capability.CAPABILITY_IAM)).stackId();

        Stack created = cloudFormation.waiter().waitUntilStackCreateComplete(
                DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING)
                .matched().response().orElseThrow().stacks().get(0);
        assertThat(created.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
        Map<String, String> outputs = created.outputs().stream()
                .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
        assertThat(outputs).as("by default only eager and lazy").containsOnlyKeys("ApiEndpoint", "EagerFunctionName",
                "LazyFunctionName", "EagerAliasArn", "LazyAliasArn", "ParameterName");
        assertThat(outputs.get("ParameterName")).isEqualTo("/" + stackName + "/value");
        List<String> logicalIds = cloudFormation.listStackResourcesPaginator(b -> b.stackName(stackName))
                .stackResourceSummaries().stream()
                .peek(resource -> assertThat(resource.resourceStatus()).as(resource.logicalResourceId())
                        .isEqualTo(ResourceStatus.CREATE_COMPLETE))
                .map(StackResourceSummary::logicalResourceId).toList();
        String resources = templateBody.substring(0, templateBody.indexOf("\nOutputs:"));
        assertThat(logicalIds).as("every resource of template.yaml that the default selection deploys")
                .hasSize((int) (RESOURCE_TYPE_LINE.matcher(resources).results().count()
                        - OPT_IN_RESOURCE_LINE.matcher(resources).results().count())).hasSizeGreaterThan(10);
        List<String> functions = List.of(outputs.get("EagerFunctionName"), outputs.get("LazyFunctionName"));

        for (String function : functions) {
            assertThat(lambda.getProvisionedConcurrencyConfig(b -> b.functionName(function).qualifier("live")))
                    .satisfies(config -> {
                        assertThat(config.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
                        assertThat(config.allocatedProvisionedConcurrentExecutions()).isEqualTo(2);
                    });
        }
        assertThat(roleNames()).as("the stack's role, named after the stack")
                .anyMatch(role -> role.startsWith(stackName));
        Set<ProcessHandle> environments = runtimeClientProcesses();
        assertThat(environments).as("one runtime-client JVM per provisioned environment").hasSize(4);

        // Through the HTTP API front door, as a client of the deployed API would call it.
        RestAssured.given().get(outputs.get("ApiEndpoint") + "/eager").then()
                .statusCode(200).contentType("application/json")
                .body("value", equalTo(PARAMETER_DEFAULT))
                .body("initializationType", equalTo("provisioned-concurrency"))
                .body("setupPhase", equalTo("init"))
                .body("setupInThisInvocationMs", equalTo(0.0f));
        RestAssured.given().get(outputs.get("ApiEndpoint") + "/lazy").then()
                .statusCode(200).contentType("application/json")
                .body("value", equalTo(PARAMETER_DEFAULT))
                .body("initializationType", equalTo("provisioned-concurrency"))
                .body("setupPhase", equalTo("invocation"))
                .body("setupInThisInvocationMs", greaterThan(0.0f));

        for (String function : functions) {
            List<FilteredLogEvent> reports = reportLines("/aws/lambda/" + function);
            assertThat(reports).as("REPORT lines of %s", function).hasSize(1);
            assertThat(reports.get(0).message()).contains("Memory Size: 512 MB").contains("Billed Duration:");
        }

        cloudFormation.deleteStack(b -> b.stackName(stackName));
        cloudFormation.waiter().waitUntilStackDeleteComplete(
                DescribeStacksRequest.builder().stackName(stackId).build(), FAST_POLLING);
        assertThat(cloudFormation.describeStacks(b -> b.stackName(stackId)).stacks())
                .singleElement().extracting(Stack::stackStatus).isEqualTo(StackStatus.DELETE_COMPLETE);
        List<StackEvent> events = cloudFormation.describeStackEventsPaginator(b -> b.stackName(stackId))
                .stackEvents().stream().toList();
        for (String logicalId : logicalIds) {
            assertThat(events).filteredOn(event -> event.logicalResourceId().equals(logicalId))
                    .extracting(StackEvent::resourceStatus).as("events of %s", logicalId)
                    .contains(ResourceStatus.CREATE_IN_PROGRESS, ResourceStatus.CREATE_COMPLETE,
                            ResourceStatus.DELETE_IN_PROGRESS, ResourceStatus.DELETE_COMPLETE);
        }
        for (String function : functions) {
            assertThatThrownBy(() -> lambda.getFunction(b -> b.functionName(function)))
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        assertThatThrownBy(() -> ssm.getParameter(b -> b.name(outputs.get("ParameterName"))))
                .isInstanceOf(ParameterNotFoundException.class);
        assertThat(roleNames()).noneMatch(role -> role.startsWith(stackName));
        for (String function : functions) {
            assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/aws/lambda/" + function)).logGroups())
                    .as("log group of %s", function).isEmpty();
        }
        assertThatThrownBy(() -> RestAssured.given().get(outputs.get("ApiEndpoint") + "/eager"))
                .as("the deleted HTTP API's front door").isInstanceOf(IOException.class);
        assertThat(environments).as("environments of the deleted stack").noneMatch(ProcessHandle::isAlive);
        assertThat(runtimeClientProcesses()).as("runtime-client JVMs after the stack was deleted").isEmpty();
    }

    /** A request CloudFormation refuses before creating anything. */
    record RefusedRequest(String name, Function<LocalCloudTemplateIT, CreateStackRequest.Builder> request,
                          Class<? extends CloudFormationException> exception, String errorCode, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<RefusedRequest> refusedRequests() {
        return Stream.of(
                new RefusedRequest("malformed YAML",
                        it -> it.stack("Resources:\n  Parameter: [unclosed\n", Map.of()),
                        CloudFormationException.class, "ValidationError",
                        "Template format error: YAML not well-formed"),
                new RefusedRequest("template without resources",
                        it -> it.stack("Description: nothing to create\n", Map.of()),
                        CloudFormationException.class, "ValidationError",
                        "Template format error: At least one Resources member must be defined."),
                new RefusedRequest("unknown parameter",
                        it -> it.templateStack(Map.of("Bogus", "1")).capabilities(Capability.CAPABILITY_IAM),
                        CloudFormationException.class, "ValidationError",
                        "Parameters: [Bogus] do not exist in the template"),
                new RefusedRequest("missing required parameter",
                        it -> it.stack(it.templateBody, Map.of("ArtifactBucket", ARTIFACT_BUCKET))
                                .capabilities(Capability.CAPABILITY_IAM),
                        CloudFormationException.class, "ValidationError", "Parameters: [ArtifactKey] must have values"),
                new RefusedRequest("value outside AllowedValues",
                        it -> it.templateStack(Map.of("Runtime", "java17")).capabilities(Capability.CAPABILITY_IAM),
                        CloudFormationException.class, "ValidationError",
                        "Parameter 'Runtime' must be one of AllowedValues [java21, java25]"),
                new RefusedRequest("non-numeric value of a Number parameter",
                        it -> it.templateStack(Map.of("ProvisionedConcurrency", "two"))
                                .capabilities(Capability.CAPABILITY_IAM),
                        CloudFormationException.class, "ValidationError",
                        "Parameter 'ProvisionedConcurrency' must be a number."),
                new RefusedRequest("GetAtt of an attribute the type does not have",
                        it -> it.stack("""
                                Resources:
                                  Role:
                                    Type: AWS::IAM::Role
                                    Properties:
                                      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
                                Outputs:
                                  RoleColour:
                                    Value: !GetAtt Role.Colour
                                """, Map.of()).capabilities(Capability.CAPABILITY_IAM),
                        CloudFormationException.class, "ValidationError",
                        "Template error: resource Role does not support attribute type Colour in Fn::GetAtt"),
                new RefusedRequest("Sub variable naming an attribute the type does not have",
                        it -> it.stack("""
                                Resources:
                                  Parameter:
                                    Type: AWS::SSM::Parameter
                                    Properties: {Type: String, Value: first}
                                  Copy:
                                    Type: AWS::SSM::Parameter
                                    Properties: {Type: String, Value: !Sub "copy of ${Parameter.Arn}"}
                                """, Map.of()),
                        CloudFormationException.class, "ValidationError",
                        "Template error: resource Parameter does not support attribute type Arn in Fn::GetAtt"),
                new RefusedRequest("circular dependency",
                        it -> it.stack("""
                                Resources:
                                  First:
                                    Type: AWS::SSM::Parameter
                                    Properties: {Type: String, Value: !Ref Second}
                                  Second:
                                    Type: AWS::SSM::Parameter
                                    Properties: {Type: String, Value: !Ref First}
                                """, Map.of()),
                        CloudFormationException.class, "ValidationError",
                        "Circular dependency between resources: [First, Second]"),
                new RefusedRequest("unresolvable Ref",
                        it -> it.stack("""
                                Resources:
                                  Parameter:
                                    Type: AWS::SSM::Parameter
                                    Properties:
                                      Type: String
                                      Value: !Ref Nowhere
                                """, Map.of()),
                        CloudFormationException.class, "ValidationError",
                        "Template format error: Unresolved resource dependencies [Nowhere]"),
                new RefusedRequest("IAM role without CAPABILITY_IAM",
                        it -> it.templateStack(Map.of()),
                        InsufficientCapabilitiesException.class, "InsufficientCapabilitiesException",
                        "Requires capabilities : [CAPABILITY_IAM]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedRequests")
    void refusesBadRequestWithAwsErrorAndCreatesNothing(RefusedRequest refused) {
        CreateStackRequest request = refused.request().apply(this).build();

        CloudFormationException error = catchThrowableOfType(CloudFormationException.class,
                () -> cloudFormation.createStack(request));

        assertThat(error).as("CreateStack of %s", refused).isInstanceOf(refused.exception());
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo(refused.errorCode());
        assertThat(error.awsErrorDetails().errorMessage()).contains(refused.message());
        assertThatThrownBy(() -> cloudFormation.describeStacks(b -> b.stackName(request.stackName())))
                .isInstanceOfSatisfying(CloudFormationException.class, e ->
                        assertThat(e.awsErrorDetails().errorMessage()).contains("does not exist"));
        assertNothingLeftBy(request.stackName());
    }

    /** A stack CloudFormation accepts whose creation fails at one resource and is rolled back. */
    record FailingStack(String name, String template, String failedResource, String reason) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<FailingStack> failingStacks() {
        return Stream.of(
                new FailingStack("resource type the local cloud does not emulate", """
                        Resources:
                          Parameter:
                            Type: AWS::SSM::Parameter
                            Properties:
                              Name: !Sub "/${AWS::StackName}/value"
                              Type: String
                              Value: created before the failure
                          Queue:
                            Type: AWS::SQS::Queue
                            DependsOn: Parameter
                        """, "Queue", "AWS::SQS::Queue is not supported by the local cloud"),
                new FailingStack("resource without a required property", """
                        Resources:
                          Parameter:
                            Type: AWS::SSM::Parameter
                            Properties:
                              Name: !Sub "/${AWS::StackName}/value"
                              Type: String
                              Value: created before the failure
                          Untyped:
                            Type: AWS::SSM::Parameter
                            DependsOn: Parameter
                            Properties:
                              Value: no Type given
                        """, "Untyped", "Properties validation failed for resource Untyped with message: "
                        + "#: required key [Type] not found"),
                new FailingStack("function whose artifact is not in S3", """
                        Resources:
                          Parameter:
                            Type: AWS::SSM::Parameter
                            Properties:
                              Name: !Sub "/${AWS::StackName}/value"
                              Type: String
                              Value: created before the failure
                          Role:
                            Type: AWS::IAM::Role
                            Properties:
                              AssumeRolePolicyDocument:
                                Version: "2012-10-17"
                                Statement:
                                  - Effect: Allow
                                    Principal: {Service: lambda.amazonaws.com}
                                    Action: sts:AssumeRole
                          Function:
                            Type: AWS::Lambda::Function
                            DependsOn: Parameter
                            Properties:
                              Handler: dev.initbench.functions.EagerInitHandler::handleRequest
                              Runtime: java21
                              Role: !GetAtt Role.Arn
                              Code:
                                S3Bucket: initbench-artifacts
                                S3Key: no/such/artifact.zip
                        """, "Function", "S3 Error Code: NoSuchKey"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingStacks")
    void rollsBackFailedStackWithReasonAndLeavesNothing(FailingStack failing) {
        String stackName = uniqueStackName("failing");
        cloudFormation.createStack(stack(failing.template(), Map.of()).stackName(stackName)
                .capabilities(Capability.CAPABILITY_IAM).build());

        assertThatThrownBy(() -> cloudFormation.waiter().waitUntilStackCreateComplete(
                DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING))
                .isInstanceOf(SdkClientException.class);
        assertThat(cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks())
                .singleElement().extracting(Stack::stackStatus).isEqualTo(StackStatus.ROLLBACK_COMPLETE);
        List<StackEvent> events = cloudFormation.describeStackEventsPaginator(b -> b.stackName(stackName))
                .stackEvents().stream().toList();
        assertThat(events).filteredOn(e -> e.logicalResourceId().equals(failing.failedResource())
                        && e.resourceStatus() == ResourceStatus.CREATE_FAILED)
                .singleElement().extracting(StackEvent::resourceStatusReason).asString().contains(failing.reason());
        assertThat(events).filteredOn(e -> e.logicalResourceId().equals("Parameter")
                && e.resourceStatus() == ResourceStatus.DELETE_COMPLETE).hasSize(1);
        assertNothingLeftBy(stackName);

        cloudFormation.deleteStack(b -> b.stackName(stackName));
        cloudFormation.waiter().waitUntilStackDeleteComplete(
                DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING);
    }

    @Test
    void createsStackFromTemplateUrlInLocalS3AndDeletesIt() {
        String stackName = uniqueStackName("url");
        String body = """
                Resources:
                  Parameter:
                    Type: AWS::SSM::Parameter
                    Properties:
                      Name: !Sub "/${AWS::StackName}/value"
                      Type: String
                      Value: read from a TemplateURL
                """;
        s3.putObject(b -> b.bucket(ARTIFACT_BUCKET).key("templates/parameter.yaml"), RequestBody.fromString(body));

        cloudFormation.createStack(b -> b.stackName(stackName)
                .templateURL("https://" + ARTIFACT_BUCKET + ".s3.amazonaws.com/templates/parameter.yaml"));
        cloudFormation.waiter().waitUntilStackCreateComplete(
                DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING);

        assertThat(ssm.getParameter(b -> b.name("/" + stackName + "/value")).parameter().value())
                .isEqualTo("read from a TemplateURL");
        assertThat(cloudFormation.getTemplate(b -> b.stackName(stackName)).templateBody()).isEqualTo(body);
        cloudFormation.deleteStack(b -> b.stackName(stackName));
        cloudFormation.waiter().waitUntilStackDeleteComplete(
                DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING);
        assertNothingLeftBy(stackName);
    }

    @Test
    void refusesRequestSignedWithWrongSecret() {
        LocalCloud cloud = CLOUD.cloud();
        try (CloudFormationClient wrongSecret = TestClients.cloudFormation(cloud, cloud.accessKeyId(),
                cloud.secretAccessKey() + "-wrong")) {
            CloudFormationException error = catchThrowableOfType(CloudFormationException.class,
                    wrongSecret::describeStacks);

            assertThat(error.statusCode()).isEqualTo(403);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
            assertThat(error.awsErrorDetails().errorMessage()).contains("Check your AWS Secret Access Key");
        }
    }

    @Test
    void refusesRequestWithUnknownAccessKey() {
        try (CloudFormationClient unknownKey = TestClients.cloudFormation(CLOUD.cloud(), "AKIAUNKNOWNKEY000000",
                CLOUD.cloud().secretAccessKey())) {
            CloudFormationException error = catchThrowableOfType(CloudFormationException.class,
                    unknownKey::describeStacks);

            assertThat(error.statusCode()).isEqualTo(403);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
            assertThat(error.awsErrorDetails().errorMessage())
                    .startsWith("The security token included in the request is invalid.")
                    .contains("AKIAUNKNOWNKEY000000");
        }
    }

    private CreateStackRequest.Builder templateStack(Map<String, String> overrides) {
        return stack(templateBody, templateParameters(overrides));
    }

    private CreateStackRequest.Builder stack(String body, Map<String, String> parameters) {
        return stack(body, parameters.entrySet().stream()
                .map(p -> Parameter.builder().parameterKey(p.getKey()).parameterValue(p.getValue()).build())
                .toList());
    }

    private CreateStackRequest.Builder stack(String body, List<Parameter> parameters) {
        return CreateStackRequest.builder().stackName(uniqueStackName("refused")).templateBody(body)
                .parameters(parameters);
    }

    /**
     * UpdateStack of template.yaml with another MemorySize: the functions change in place ($LATEST), the published
     * versions behind the aliases keep theirs (only a new AWS::Lambda::Version would publish one), and the routes
     * keep answering.
     */
    @Test
    void updateStackChangesFunctionsInPlaceAndKeepsTheirPublishedVersions() {
        String stackName = uniqueStackName("update");
        cloudFormation.createStack(b -> b.stackName(stackName).templateBody(templateBody)
                .parameters(templateParameters(Map.of("ProvisionedConcurrency", "1", "MemorySize", "512")))
                .capabilities(Capability.CAPABILITY_IAM));
        try {
            cloudFormation.waiter().waitUntilStackCreateComplete(
                    DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING);
            cloudFormation.updateStack(b -> b.stackName(stackName).usePreviousTemplate(true)
                    .parameters(templateParameters(Map.of("ProvisionedConcurrency", "1", "MemorySize", "1024")))
                    .capabilities(Capability.CAPABILITY_IAM));
            Stack updated = cloudFormation.waiter().waitUntilStackUpdateComplete(
                    DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING)
                    .matched().response().orElseThrow().stacks().get(0);
            assertThat(updated.stackStatus()).isEqualTo(StackStatus.UPDATE_COMPLETE);
            Map<String, String> outputs = updated.outputs().stream()
                    .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
            for (String function : List.of(outputs.get("EagerFunctionName"), outputs.get("LazyFunctionName"))) {
                assertThat(lambda.getFunctionConfiguration(b -> b.functionName(function)).memorySize())
                        .isEqualTo(1024);
                assertThat(lambda.getFunctionConfiguration(b -> b.functionName(function).qualifier("live"))
                        .memorySize()).as("the alias's published version").isEqualTo(512);
            }
            for (String route : List.of("/eager", "/lazy")) {
                RestAssured.given().get(outputs.get("ApiEndpoint") + route).then().statusCode(200);
            }
        } finally {
            cloudFormation.deleteStack(b -> b.stackName(stackName));
            cloudFormation.waiter().waitUntilStackDeleteComplete(
                    DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING);
        }
        assertNothingLeftBy(stackName);
    }

    /**
     * The real {@code aws cloudformation deploy} (CLI v1, change sets) against the local cloud: create, an update
     * with another ProvisionedConcurrency (reallocated environments, endpoints still answering), then "No changes".
     */
    @Test
    void awsCliDeployCreatesUpdatesAndReportsNoChanges() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(awsCliInstalled(),
                "the AWS CLI (`aws`) is not on the PATH: install it to run the `aws cloudformation deploy` test");
        String stackName = uniqueStackName("cli-deploy");
        try {
            CliResult created = awsDeploy(stackName, "1");
            assertThat(created.exitCode()).as(created.output()).isZero();
            assertThat(created.output()).contains("Successfully created/updated stack - " + stackName);
            Map<String, String> outputs = stackOutputs(stackName);
            List<String> functions = List.of(outputs.get("EagerFunctionName"), outputs.get("LazyFunctionName"));
            functions.forEach(function -> assertThat(lambda.getProvisionedConcurrencyConfig(b ->
                    b.functionName(function).qualifier("live")).allocatedProvisionedConcurrentExecutions())
                    .isEqualTo(1));
            Set<ProcessHandle> before = runtimeClientProcesses();
            assertThat(before).hasSize(2);

            CliResult updated = awsDeploy(stackName, "2");
            assertThat(updated.exitCode()).as(updated.output()).isZero();
            assertThat(cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().get(0).stackStatus())
                    .isEqualTo(StackStatus.UPDATE_COMPLETE);
            for (String function : functions) {
                assertThat(lambda.getProvisionedConcurrencyConfig(b -> b.functionName(function).qualifier("live")))
                        .satisfies(config -> {
                            assertThat(config.status()).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);
                            assertThat(config.requestedProvisionedConcurrentExecutions()).isEqualTo(2);
                            assertThat(config.allocatedProvisionedConcurrentExecutions()).isEqualTo(2);
                        });
            }
            Set<ProcessHandle> after = runtimeClientProcesses();
            assertThat(after).as("environments reallocated: two new per function, the old ones stopped")
                    .hasSize(4).doesNotContainAnyElementsOf(before);
            assertThat(stackOutputs(stackName)).as("same API, functions and aliases").isEqualTo(outputs);
            for (String route : List.of("/eager", "/lazy")) {
                RestAssured.given().get(outputs.get("ApiEndpoint") + route).then().statusCode(200);
            }

            CliResult unchanged = awsDeploy(stackName, "2");
            assertThat(unchanged.exitCode()).as(unchanged.output()).isZero();
            assertThat(unchanged.output()).contains("No changes to deploy. Stack " + stackName + " is up to date");
        } finally {
            cloudFormation.deleteStack(b -> b.stackName(stackName));
            cloudFormation.waiter().waitUntilStackDeleteComplete(
                    DescribeStacksRequest.builder().stackName(stackName).build(), FAST_POLLING);
        }
        assertNothingLeftBy(stackName);
    }

    private record CliResult(int exitCode, String output) {
    }

    private static boolean awsCliInstalled() {
        try {
            Process process = new ProcessBuilder("aws", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code aws cloudformation deploy} of template.yaml (bounded: 4 minutes; its stack waiter polls every 30 s). */
    private CliResult awsDeploy(String stackName, String provisionedConcurrency) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("aws", "cloudformation", "deploy",
                "--template-file", TEMPLATE.toString(), "--stack-name", stackName,
                "--capabilities", "CAPABILITY_IAM", "--no-fail-on-empty-changeset",
                "--parameter-overrides", "ArtifactBucket=" + ARTIFACT_BUCKET, "ArtifactKey=" + ARTIFACT_KEY,
                "ProvisionedConcurrency=" + provisionedConcurrency, "MemorySize=512")
                .redirectErrorStream(true);
        builder.environment().putAll(CLOUD.cloud().environment());
        // Only the local cloud's settings: no profile or credentials of the machine's user.
        builder.environment().put("AWS_CONFIG_FILE", "/dev/null");
        builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        builder.environment().remove("AWS_PROFILE");
        Process process = builder.start();
        java.util.concurrent.CompletableFuture<String> output = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "cannot read the CLI's output: " + e;
                    }
                });
        if (!process.waitFor(4, java.util.concurrent.TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("aws cloudformation deploy did not finish in 4 minutes: " + output.getNow(""));
        }
        return new CliResult(process.exitValue(), output.get());
    }

    private Map<String, String> stackOutputs(String stackName) {
        return cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().get(0).outputs().stream()
                .collect(Collectors.toMap(Output::outputKey, Output::outputValue));
    }

    private static List<Parameter> templateParameters(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ArtifactBucket", ARTIFACT_BUCKET);
        values.put("ArtifactKey", ARTIFACT_KEY);
        values.putAll(overrides);
        return values.entrySet().stream()
                .map(p -> Parameter.builder().parameterKey(p.getKey()).parameterValue(p.getValue()).build())
                .toList();
    }

    private static String uniqueStackName(String purpose) {
        return "it-" + purpose + "-" + STACK_COUNTER.incrementAndGet();
    }

    /** No SSM parameter, IAM role or Lambda function whose name the stack's name starts. */
    private void assertNothingLeftBy(String stackName) {
        assertThat(ssm.getParametersByPath(b -> b.path("/" + stackName).recursive(true)).parameters())
                .as("SSM parameters of %s", stackName).isEmpty();
        assertThat(roleNames()).as("IAM roles of %s", stackName).noneMatch(role -> role.startsWith(stackName));
        assertThat(lambda.listFunctionsPaginator().functions().stream().map(f -> f.functionName()))
                .as("functions of %s", stackName).noneMatch(function -> function.startsWith(stackName));
    }

    /** Role names from IAM ListRoles (there is no IAM client in the build). */
    private List<String> roleNames() {
        SignedHttp.Response response = SignedHttp.send(CLOUD.cloud(), "iam",
                SignedHttp.Request.form("Action=ListRoles&Version=2010-05-08&MaxItems=1000"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        Matcher roleName = ROLE_NAME.matcher(response.body());
        while (roleName.find()) {
            names.add(roleName.group(1));
        }
        return names;
    }

    /** The REPORT lines of a log group; records are written as invocations end, so read until one arrives. */
    private List<FilteredLogEvent> reportLines(String logGroup) throws InterruptedException {
        List<FilteredLogEvent> reports = List.of();
        for (int attempt = 0; attempt < 50 && reports.isEmpty(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(100);
            }
            reports = logs.filterLogEventsPaginator(b -> b.logGroupName(logGroup).filterPattern("REPORT"))
                    .events().stream().toList();
        }
        return reports;
    }

    /** Runtime-client JVMs started by this test JVM (other sessions on the machine may run their own). */
    private static Set<ProcessHandle> runtimeClientProcesses() {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(RUNTIME_CLIENT_MAIN))
                .filter(p -> descendsFrom(p, self))
                .collect(Collectors.toSet());
    }

    private static boolean descendsFrom(ProcessHandle process, long ancestor) {
        Optional<ProcessHandle> parent = process.parent();
        for (int depth = 0; depth < 16 && parent.isPresent(); depth++) {
            if (parent.get().pid() == ancestor) {
                return true;
            }
            parent = parent.get().parent();
        }
        return false;
    }
}
