package dev.initbench.localcloud.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.LocalCloudExtension;
import dev.initbench.localcloud.SignedHttp;
import dev.initbench.localcloud.SignedHttp.Request;
import dev.initbench.localcloud.SignedHttp.Response;
import dev.initbench.localcloud.TestClients;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** The endpoint itself: authentication, routing, unknown operations, 100-continue, virtual-host S3. */
class EndpointTest {

    private static final String WRONG_KEY = "AKIAWRONGWRONGWRONG0";
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();

    @Test
    void bindsLoopbackOnAnEphemeralPort() {
        assertThat(CLOUD.cloud().endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(CLOUD.cloud().endpoint().getPort()).isPositive();
    }

    @Test
    void wrongSecretIsRefusedInEachServicesOwnErrorShape() {
        try (SsmClient ssm = TestClients.ssm(CLOUD.cloud(), CLOUD.cloud().accessKeyId(), "wrong-secret");
             S3Client s3 = TestClients.s3(CLOUD.cloud(), CLOUD.cloud().accessKeyId(), "wrong-secret");
             CloudWatchLogsClient logs = TestClients.logs(CLOUD.cloud(), CLOUD.cloud().accessKeyId(), "wrong-secret")) {
            assertRefused(() -> ssm.getParameter(b -> b.name("/any")), "InvalidSignatureException", 400);
            assertRefused(() -> logs.describeLogGroups(), "InvalidSignatureException", 400);
            assertRefused(() -> s3.listBuckets(), "SignatureDoesNotMatch", 403);
        }
        Response iam = SignedHttp.send(CLOUD.cloud(), "iam", Request.form("Action=ListRoles&Version=2010-05-08"),
                CLOUD.cloud().accessKeyId(), "wrong-secret", Clock.systemUTC());
        assertThat(iam.status()).isEqualTo(403);
        assertThat(iam.body()).contains("<Code>SignatureDoesNotMatch</Code>").contains("<Type>Sender</Type>");
    }

    @Test
    void wrongAccessKeyIsRefusedAsAnUnknownToken() {
        try (SsmClient ssm = TestClients.ssm(CLOUD.cloud(), WRONG_KEY, CLOUD.cloud().secretAccessKey());
             S3Client s3 = TestClients.s3(CLOUD.cloud(), WRONG_KEY, CLOUD.cloud().secretAccessKey());
             CloudWatchLogsClient logs = TestClients.logs(CLOUD.cloud(), WRONG_KEY, CLOUD.cloud().secretAccessKey())) {
            assertRefused(() -> ssm.getParameter(b -> b.name("/any")), "UnrecognizedClientException", 400);
            assertRefused(() -> logs.describeLogGroups(), "UnrecognizedClientException", 400);
            assertRefused(() -> s3.listBuckets(), "InvalidAccessKeyId", 403);
        }
        Response iam = SignedHttp.send(CLOUD.cloud(), "iam", Request.form("Action=ListRoles&Version=2010-05-08"),
                WRONG_KEY, CLOUD.cloud().secretAccessKey(), Clock.systemUTC());
        assertThat(iam.status()).isEqualTo(403);
        assertThat(iam.body()).contains("<Code>InvalidClientTokenId</Code>").contains(WRONG_KEY);
    }

    @Test
    void wrongSecretOnAStreamingUploadIsRefusedBeforeAnythingIsStored() {
        try (S3Client s3 = TestClients.s3(CLOUD.cloud())) {
            s3.createBucket(b -> b.bucket("guarded"));
            try (S3Client wrong = TestClients.s3(CLOUD.cloud(), CLOUD.cloud().accessKeyId(), "wrong-secret")) {
                assertRefused(() -> wrong.putObject(b -> b.bucket("guarded").key("k"), RequestBody.fromString("v")),
                        "SignatureDoesNotMatch", 403);
            }
            assertThat(s3.listObjectsV2(b -> b.bucket("guarded")).contents()).isEmpty();
        }
    }

    @Test
    void unsignedRequestIsMissingAuthenticationToken() {
        Response response = SignedHttp.sendUnsigned(CLOUD.cloud().endpoint(),
                Request.json("AmazonSSM.GetParameter", "{\"Name\":\"/x\"}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("\"__type\":\"MissingAuthenticationTokenException\"");
        assertThat(response.header("x-amzn-RequestId")).isNotBlank();
    }

    @Test
    void signatureFromAnHourAgoIsExpired() {
        Clock hourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));

        Response response = SignedHttp.send(CLOUD.cloud(), "ssm", Request.json("AmazonSSM.GetParameter",
                "{\"Name\":\"/x\"}"), CLOUD.cloud().accessKeyId(), CLOUD.cloud().secretAccessKey(), hourAgo);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("InvalidSignatureException").contains("Signature expired");
    }

    @Test
    void unknownOperationsGetEachProtocolsErrorNamingTheOperation() {
        try (SsmClient ssm = TestClients.ssm(CLOUD.cloud()); S3Client s3 = TestClients.s3(CLOUD.cloud());
             CloudWatchLogsClient logs = TestClients.logs(CLOUD.cloud())) {
            assertThatThrownBy(() -> ssm.describeParameters())
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                        assertThat(e.awsErrorDetails().errorMessage()).contains("DescribeParameters")
                                .contains("not emulated by the local cloud");
                    });
            assertThatThrownBy(() -> logs.describeMetricFilters())
                    .isInstanceOfSatisfying(AwsServiceException.class, e ->
                            assertThat(e.awsErrorDetails().errorMessage()).contains("DescribeMetricFilters")
                                    .contains("not emulated"));
            s3.createBucket(b -> b.bucket("acl-less"));
            assertThatThrownBy(() -> s3.getBucketAcl(b -> b.bucket("acl-less")))
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NotImplemented");
                        assertThat(e.statusCode()).isEqualTo(501);
                        assertThat(e.awsErrorDetails().errorMessage()).contains("acl").contains("not emulated");
                    });
        }
        Response iam = SignedHttp.send(CLOUD.cloud(), "iam", Request.form("Action=ListUsers&Version=2010-05-08"));
        assertThat(iam.status()).isEqualTo(400);
        assertThat(iam.body()).contains("<Code>InvalidAction</Code>").contains("ListUsers")
                .contains("not emulated by the local cloud");
    }

    @Test
    void unknownSigningNameIsRefusedNamingTheService() {
        Response response = SignedHttp.send(CLOUD.cloud(), "sqs", Request.form("Action=ListQueues"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("'sqs'").contains("not emulated");
    }

    @Test
    void expectContinueGetsAnInterimResponseBeforeTheBodyIsSent() throws Exception {
        try (S3Client s3 = TestClients.s3(CLOUD.cloud())) {
            s3.createBucket(b -> b.bucket("continued"));
        }
        byte[] body = "after continue".getBytes(StandardCharsets.UTF_8);
        Request signed = SignedHttp.sign(CLOUD.cloud(), "s3", new Request("PUT", "/continued/object",
                Map.of("Expect", "100-continue"), body), CLOUD.cloud().accessKeyId(), CLOUD.cloud().secretAccessKey(),
                Clock.systemUTC());

        try (Socket socket = new Socket("127.0.0.1", CLOUD.cloud().endpoint().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(SignedHttp.head(CLOUD.cloud().endpoint(), signed).getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(SignedHttp.readUntil(in, "\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
            out.write(body);
            out.flush();
            assertThat(SignedHttp.parse(in.readAllBytes()).status()).isEqualTo(200);
        }
        try (S3Client s3 = TestClients.s3(CLOUD.cloud())) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("continued").key("object")).asUtf8String())
                    .isEqualTo("after continue");
        }
    }

    @Test
    void virtualHostStyleRequestsAddressTheBucketInTheHostHeader() {
        for (String host : new String[] {"vhost-a.localhost", "vhost-b.127.0.0.1"}) {
            String bucket = host.substring(0, host.indexOf('.'));
            Map<String, String> hostHeader = Map.of("Host", host + ":" + CLOUD.cloud().endpoint().getPort());
            assertThat(SignedHttp.send(CLOUD.cloud(), "s3", new Request("PUT", "/", hostHeader, new byte[0])).status())
                    .isEqualTo(200);
            assertThat(SignedHttp.send(CLOUD.cloud(), "s3", new Request("PUT", "/dir/key.txt", hostHeader,
                    "virtual".getBytes(StandardCharsets.UTF_8))).status()).isEqualTo(200);
            try (S3Client s3 = TestClients.s3(CLOUD.cloud())) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("dir/key.txt")).asUtf8String())
                        .isEqualTo("virtual");
            }
        }
    }

    @Test
    void everyResponseCarriesARequestId() {
        try (SsmClient ssm = TestClients.ssm(CLOUD.cloud())) {
            ssm.putParameter(b -> b.name("/request-id").value("v").type(ParameterType.STRING));
            assertThat(ssm.getParameter(b -> b.name("/request-id")).responseMetadata().requestId())
                    .matches("[0-9a-f-]{36}");
        }
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String code,
                                      int status) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
            assertThat(e.statusCode()).isEqualTo(status);
        });
    }
}
