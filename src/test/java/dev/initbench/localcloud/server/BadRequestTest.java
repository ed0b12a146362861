package dev.initbench.localcloud.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.LocalCloudExtension;
import dev.initbench.localcloud.SignedHttp;
import dev.initbench.localcloud.SignedHttp.Request;
import dev.initbench.localcloud.SignedHttp.Response;
import dev.initbench.localcloud.TestClients;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Table of bad requests sent through the real SDK clients (or signed by hand where no client exists): each gets
 * AWS's error code and status, and a message naming what is wrong.
 */
class BadRequestTest {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();
    private static SsmClient ssm;
    private static S3Client s3;
    private static CloudWatchLogsClient logs;

    @BeforeAll
    static void start() {
        ssm = CLOUD.client(TestClients::ssm);
        s3 = CLOUD.client(TestClients::s3);
        logs = CLOUD.client(TestClients::logs);
        s3.createBucket(b -> b.bucket("existing"));
        s3.putObject(b -> b.bucket("existing").key("k"), RequestBody.fromString("v"));
        logs.createLogGroup(b -> b.logGroupName("/existing"));
    }

    /** A bad call through an SDK client. */
    interface Call {
        void run();
    }

    static Stream<Arguments> sdkCases() {
        return Stream.of(
                Arguments.of("SSM type outside the enum", (Call) () -> ssm.putParameter(b -> b.name("/bad/type")
                        .value("v").type("Integer")), "ValidationException", 400, "'Integer' at 'type'"),
                Arguments.of("SSM new parameter without a type", (Call) () -> ssm.putParameter(b -> b
                        .name("/bad/untyped").value("v")), "ValidationException", 400, "Type"),
                Arguments.of("SSM relative path name", (Call) () -> ssm.putParameter(b -> b.name("bad/relative")
                        .value("v").type(ParameterType.STRING)), "ValidationException", 400, "fully qualified"),
                Arguments.of("SSM reserved prefix", (Call) () -> ssm.putParameter(b -> b.name("/aws/reserved")
                        .value("v").type(ParameterType.STRING)), "ValidationException", 400, "\"aws\""),
                Arguments.of("SSM empty value", (Call) () -> ssm.putParameter(b -> b.name("/bad/empty").value("")
                        .type(ParameterType.STRING)), "ValidationException", 400, "'value'"),
                Arguments.of("SSM path without leading slash", (Call) () -> ssm.getParametersByPath(b -> b
                        .path("relative")), "ValidationException", 400, "relative"),
                Arguments.of("SSM tampered NextToken", (Call) () -> ssm.getParametersByPath(b -> b.path("/")
                        .nextToken("garbage")), "InvalidNextToken", 400, "garbage"),
                Arguments.of("SSM missing parameter", (Call) () -> ssm.getParameter(b -> b.name("/bad/missing")),
                        "ParameterNotFound", 400, "/bad/missing"),
                Arguments.of("S3 location constraint for another region", (Call) () -> s3.createBucket(b -> b
                        .bucket("elsewhere").createBucketConfiguration(c -> c.locationConstraint("eu-west-1"))),
                        "InvalidLocationConstraint", 400, "eu-west-1"),
                Arguments.of("S3 missing key", (Call) () -> s3.getObject(b -> b.bucket("existing").key("nope")),
                        "NoSuchKey", 404, "s3://existing/nope"),
                Arguments.of("S3 put into missing bucket", (Call) () -> s3.putObject(b -> b.bucket("absent")
                        .key("k"), RequestBody.fromString("v")), "NoSuchBucket", 404, "absent"),
                Arguments.of("S3 delete missing bucket", (Call) () -> s3.deleteBucket(b -> b.bucket("absent")),
                        "NoSuchBucket", 404, "absent"),
                Arguments.of("S3 non-empty bucket delete", (Call) () -> s3.deleteBucket(b -> b.bucket("existing")),
                        "BucketNotEmpty", 409, "existing"),
                Arguments.of("S3 unsatisfiable range", (Call) () -> s3.getObject(b -> b.bucket("existing").key("k")
                        .range("bytes=100-200")), "InvalidRange", 416, "bytes=100-200"),
                Arguments.of("S3 ListObjects v1", (Call) () -> s3.listObjects(b -> b.bucket("existing")),
                        "NotImplemented", 501, "ListObjectsV2"),
                Arguments.of("Logs unknown group", (Call) () -> logs.filterLogEvents(b -> b.logGroupName("/absent")),
                        "ResourceNotFoundException", 400, "/absent"),
                Arguments.of("Logs duplicate group", (Call) () -> logs.createLogGroup(b -> b
                        .logGroupName("/existing")), "ResourceAlreadyExistsException", 400, "/existing"),
                Arguments.of("Logs invalid group name", (Call) () -> logs.createLogGroup(b -> b
                        .logGroupName("bad name!")), "InvalidParameterException", 400, "bad name!"),
                Arguments.of("Logs JSON filter pattern", (Call) () -> logs.filterLogEvents(b -> b
                        .logGroupName("/existing").filterPattern("{ $.level = \"ERROR\" }")),
                        "InvalidParameterException", 400, "not emulate"),
                Arguments.of("Logs unclosed quote", (Call) () -> logs.filterLogEvents(b -> b
                        .logGroupName("/existing").filterPattern("\"Init Duration")),
                        "InvalidParameterException", 400, "not closed"),
                Arguments.of("Logs names and prefix together", (Call) () -> logs.filterLogEvents(b -> b
                        .logGroupName("/existing").logStreamNames("a").logStreamNamePrefix("a")),
                        "InvalidParameterException", 400, "mutually exclusive"),
                Arguments.of("Logs limit out of range", (Call) () -> logs.describeLogGroups(b -> b.limit(51)),
                        "InvalidParameterException", 400, "'limit'"),
                Arguments.of("Logs missing stream", (Call) () -> logs.getLogEvents(b -> b.logGroupName("/existing")
                        .logStreamName("absent")), "ResourceNotFoundException", 400, "absent"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdkCases")
    void sdkCallGetsAwsErrorCodeStatusAndANamingMessage(String description, Call call, String code, int status,
                                                        String messageFragment) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
            assertThat(e.awsErrorDetails().errorMessage()).contains(messageFragment);
        });
    }

    static Stream<Arguments> rawCases() {
        return Stream.of(
                Arguments.of("SSM body that is not JSON", "ssm", Request.json("AmazonSSM.GetParameter", "{not json"),
                        400, "SerializationException", "not valid JSON"),
                Arguments.of("SSM target of another service", "ssm", Request.json("Logs_20140328.DescribeLogGroups",
                        "{}"), 400, "UnknownOperationException", "Logs_20140328.DescribeLogGroups"),
                Arguments.of("SSM request without target", "ssm", new Request("POST", "/", java.util.Map.of(
                        "Content-Type", "application/x-amz-json-1.1"), "{}".getBytes()), 400,
                        "UnknownOperationException", "X-Amz-Target"),
                Arguments.of("S3 invalid bucket name (the SDK checks this too)", "s3", new Request("PUT",
                        "/Bad_Bucket", java.util.Map.of(), new byte[0]), 400, "<Code>InvalidBucketName</Code>",
                        "Bad_Bucket"),
                Arguments.of("IAM request without Action", "iam", Request.form("Version=2010-05-08"), 400,
                        "<Code>MissingAction</Code>", "Action"),
                Arguments.of("IAM role without trust policy", "iam", Request.form("Action=CreateRole"
                        + "&Version=2010-05-08&RoleName=r"), 400, "<Code>ValidationError</Code>",
                        "AssumeRolePolicyDocument"),
                Arguments.of("IAM malformed trust policy", "iam", Request.form("Action=CreateRole&Version=2010-05-08"
                        + "&RoleName=r&AssumeRolePolicyDocument=%7Bnope"), 400, "<Code>MalformedPolicyDocument</Code>",
                        "AssumeRolePolicyDocument"),
                Arguments.of("IAM missing role", "iam", Request.form("Action=GetRole&Version=2010-05-08"
                        + "&RoleName=ghost"), 404, "<Code>NoSuchEntity</Code>", "ghost"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rawCases")
    void handSignedRequestGetsAwsErrorCodeStatusAndANamingMessage(String description, String signingName,
                                                                  Request request, int status, String code,
                                                                  String messageFragment) {
        Response response = SignedHttp.send(CLOUD.cloud(), signingName, request);

        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body()).contains(code).contains(messageFragment);
    }

}
