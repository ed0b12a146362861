package dev.initbench.localcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.SignedHttp.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/** Lifecycle of the local cloud: ports, credentials, close, and the data folder across a restart. */
class LocalCloudTest {

    @TempDir
    Path dataDirectory;

    @Test
    void dataFolderKeepsParametersObjectsAndRolesAcrossARestart() {
        byte[] artifact = new byte[200_000];
        new java.util.Random(3).nextBytes(artifact);
        try (LocalCloud cloud = LocalCloud.builder().dataDirectory(dataDirectory).start();
             SsmClient ssm = TestClients.ssm(cloud); S3Client s3 = TestClients.s3(cloud)) {
            ssm.putParameter(b -> b.name("/kept/value").value("v1").type(ParameterType.STRING));
            ssm.putParameter(b -> b.name("/kept/value").value("v2").overwrite(true));
            ssm.putParameter(b -> b.name("/dropped").value("x").type(ParameterType.STRING));
            ssm.deleteParameter(b -> b.name("/dropped"));
            s3.createBucket(b -> b.bucket("kept"));
            s3.putObject(b -> b.bucket("kept").key("code.zip"), RequestBody.fromBytes(artifact));
            s3.putObject(b -> b.bucket("kept").key("replaced"), RequestBody.fromString("old"));
            s3.putObject(b -> b.bucket("kept").key("replaced"), RequestBody.fromString("new"));
            SignedHttp.send(cloud, "iam", Request.form("Action=CreateRole&Version=2010-05-08&RoleName=kept"
                    + "&AssumeRolePolicyDocument=" + URLEncoder.encode("{}", StandardCharsets.UTF_8)));
        }

        try (LocalCloud cloud = LocalCloud.builder().dataDirectory(dataDirectory).start();
             SsmClient ssm = TestClients.ssm(cloud); S3Client s3 = TestClients.s3(cloud)) {
            assertThat(ssm.getParameter(b -> b.name("/kept/value")).parameter().value()).isEqualTo("v2");
            assertThat(ssm.getParameter(b -> b.name("/kept/value:1")).parameter().value()).isEqualTo("v1");
            assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/dropped")))
                    .isInstanceOf(ParameterNotFoundException.class);
            assertThat(s3.getObjectAsBytes(b -> b.bucket("kept").key("code.zip")).asByteArray()).isEqualTo(artifact);
            assertThat(s3.getObjectAsBytes(b -> b.bucket("kept").key("replaced")).asUtf8String()).isEqualTo("new");
            assertThat(SignedHttp.send(cloud, "iam", Request.form("Action=GetRole&Version=2010-05-08&RoleName=kept"))
                    .status()).isEqualTo(200);
        }
        assertThat(dataDirectory.resolve("s3/objects").toFile().list()).as("one body file per live object")
                .hasSize(2);
    }

    @Test
    void withoutADataFolderNothingSurvivesARestart() {
        try (LocalCloud cloud = LocalCloud.builder().start(); SsmClient ssm = TestClients.ssm(cloud)) {
            ssm.putParameter(b -> b.name("/ephemeral").value("v").type(ParameterType.STRING));
        }
        try (LocalCloud cloud = LocalCloud.builder().start(); SsmClient ssm = TestClients.ssm(cloud)) {
            assertThatThrownBy(() -> ssm.getParameter(b -> b.name("/ephemeral")))
                    .isInstanceOf(ParameterNotFoundException.class);
        }
    }

    @Test
    void configuredPortCredentialsRegionAndAccountAreUsed() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (LocalCloud cloud = LocalCloud.builder().port(port).credentials("AKIACUSTOM0000000001", "custom")
                .region("eu-west-1").accountId("123456789012").start();
             SsmClient ssm = TestClients.ssm(cloud)) {
            assertThat(cloud.endpoint().toString()).isEqualTo("http://127.0.0.1:" + port);
            ssm.putParameter(b -> b.name("/custom").value("v").type(ParameterType.STRING));
            assertThat(ssm.getParameter(b -> b.name("/custom")).parameter().arn())
                    .isEqualTo("arn:aws:ssm:eu-west-1:123456789012:parameter/custom");
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        try (LocalCloud cloud = LocalCloud.builder().start()) {
            assertThat(cloud.accessKeyId()).isEqualTo(LocalCloud.DEFAULT_ACCESS_KEY_ID);
            assertThat(cloud.secretAccessKey()).isEqualTo(LocalCloud.DEFAULT_SECRET_ACCESS_KEY);
            assertThat(cloud.region()).isEqualTo("us-east-1");
            assertThat(cloud.accountId()).isEqualTo("000000000000");
        }
    }

    @Test
    void environmentPointsClientsAtTheEndpointWithItsCredentials() {
        try (LocalCloud cloud = LocalCloud.builder().region("eu-central-1").start()) {
            assertThat(cloud.environment()).containsExactly(
                    java.util.Map.entry("AWS_ENDPOINT_URL", cloud.endpoint().toString()),
                    java.util.Map.entry("AWS_ACCESS_KEY_ID", LocalCloud.DEFAULT_ACCESS_KEY_ID),
                    java.util.Map.entry("AWS_SECRET_ACCESS_KEY", LocalCloud.DEFAULT_SECRET_ACCESS_KEY),
                    java.util.Map.entry("AWS_REGION", "eu-central-1"),
                    java.util.Map.entry("AWS_DEFAULT_REGION", "eu-central-1"));
        }
    }

    @Test
    void closeStopsTheEndpointAndIsIdempotent() {
        LocalCloud cloud = LocalCloud.builder().start();
        int port = cloud.endpoint().getPort();

        cloud.close();
        cloud.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aPortInUseIsRefusedNamingIt() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> LocalCloud.builder().port(taken.getLocalPort()).start())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
    }
}
