package dev.initbench.bench.target;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.initbench.localcloud.LocalCloud;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Each kind of credential profile users have resolves through the benchmark's own class path and {@link AwsTarget}:
 * {@code role_arn}/{@code source_profile} and web-identity profiles through the local cloud's stand-in STS, an
 * {@code aws configure sso} profile through a stand-in SSO portal with a cached token. Each probe is a JVM of its
 * own whose HOME, config and credentials files are temporary ones written here, so no real file is read.
 */
class AwsCredentialProfilesTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/ops/initbench-deployer";
    private static final String SSO_TOKEN = "cached-sso-access-token";
    private static LocalCloud cloud;
    private static HttpServer ssoPortal;
    private static final List<String> ssoRequests = new CopyOnWriteArrayList<>();

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws IOException {
        cloud = LocalCloud.builder().start();
        try (IamClient iam = IamClient.builder().endpointOverride(cloud.endpoint()).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            iam.createRole(b -> b.roleName("initbench-deployer").path("/ops/").assumeRolePolicyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[]}"));
        }
        // The SSO portal's GetRoleCredentials (restJson, bearer token, unsigned): hands out the local cloud's key.
        ssoPortal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ssoPortal.createContext("/federation/credentials", exchange -> {
            String token = exchange.getRequestHeaders().getFirst("x-amz-sso_bearer_token");
            ssoRequests.add(exchange.getRequestURI().getQuery() + " token=" + token);
            byte[] body = (SSO_TOKEN.equals(token)
                    ? "{\"roleCredentials\":{\"accessKeyId\":\"" + cloud.accessKeyId() + "\",\"secretAccessKey\":\""
                    + cloud.secretAccessKey() + "\",\"sessionToken\":\"sso-session\",\"expiration\":"
                    + (System.currentTimeMillis() + 3_600_000) + "}}"
                    : "{\"message\":\"Session token not found or invalid\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(SSO_TOKEN.equals(token) ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        ssoPortal.start();
    }

    @AfterAll
    static void stop() {
        ssoPortal.stop(0);
        cloud.close();
    }

    @Test
    void assumeRoleProfileWithSourceProfile() throws Exception {
        write(".aws/credentials", "[base]\naws_access_key_id = " + cloud.accessKeyId() + "\naws_secret_access_key = "
                + cloud.secretAccessKey() + "\n");
        write(".aws/config", "[profile bench]\nrole_arn = " + ROLE + "\nsource_profile = base\n"
                + "role_session_name = bench-run\nregion = eu-west-1\n");

        Map<String, String> out = probe("bench", Map.of());

        assertThat(out).containsEntry("region", "eu-west-1")
                .containsEntry("arn", "arn:aws:sts::000000000000:assumed-role/initbench-deployer/bench-run");
    }

    @Test
    void webIdentityTokenFileProfile() throws Exception {
        Path token = write("token.jwt", "header.payload.signature");
        write(".aws/config", "[profile ci]\nrole_arn = " + ROLE + "\nweb_identity_token_file = " + token
                + "\nrole_session_name = gha\nregion = us-west-2\n");

        Map<String, String> out = probe("ci", Map.of());

        assertThat(out).containsEntry("region", "us-west-2")
                .containsEntry("arn", "arn:aws:sts::000000000000:assumed-role/initbench-deployer/gha");
    }

    @Test
    void ssoProfileFromAwsConfigureSsoWithCachedToken() throws Exception {
        write(".aws/config", "[profile dev]\nsso_session = corp\nsso_account_id = 000000000000\n"
                + "sso_role_name = Benchmark\nregion = ap-southeast-2\n\n[sso-session corp]\n"
                + "sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
                + "sso_registration_scopes = sso:account:access\n");
        // The token cache `aws sso login` writes: ~/.aws/sso/cache/<sha1 of the session name>.json
        String cacheName = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest("corp".getBytes(StandardCharsets.UTF_8))) + ".json";
        write(".aws/sso/cache/" + cacheName, "{\"startUrl\":\"https://corp.awsapps.com/start\",\"region\":"
                + "\"us-east-1\",\"accessToken\":\"" + SSO_TOKEN + "\",\"expiresAt\":\"2099-01-01T00:00:00Z\","
                + "\"clientId\":\"client\",\"clientSecret\":\"secret\",\"registrationExpiresAt\":"
                + "\"2099-01-01T00:00:00Z\",\"refreshToken\":\"refresh\"}");

        Map<String, String> out = probe("dev", Map.of("AWS_ENDPOINT_URL_SSO",
                "http://127.0.0.1:" + ssoPortal.getAddress().getPort()));

        assertThat(out).containsEntry("region", "ap-southeast-2").containsEntry("arn", "arn:aws:iam::000000000000:root");
        assertThat(ssoRequests).anySatisfy(r -> assertThat(r).contains("role_name=Benchmark")
                .contains("account_id=000000000000").contains("token=" + SSO_TOKEN));
    }

    @Test
    void environmentRegionWinsOverTheProfileAndNoRegionAtAllIsAClearError() throws Exception {
        write(".aws/credentials", "[plain]\naws_access_key_id = " + cloud.accessKeyId() + "\naws_secret_access_key = "
                + cloud.secretAccessKey() + "\n");
        write(".aws/config", "[profile plain]\nregion = eu-central-1\n[profile noregion]\n");

        assertThat(probe("plain", Map.of("AWS_REGION", "sa-east-1"))).containsEntry("region", "sa-east-1");
        write(".aws/credentials", "[noregion]\naws_access_key_id = " + cloud.accessKeyId()
                + "\naws_secret_access_key = " + cloud.secretAccessKey() + "\n");
        assertThat(probe("noregion", Map.of()).get("failed")).contains("no AWS region: pass --region");
    }

    private Path write(String relative, String content) throws IOException {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    /** Runs {@link CredentialProbeMain} with only this test's files and the given variables as AWS settings. */
    private Map<String, String> probe(String profile, Map<String, String> extra) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CredentialProbeMain.class.getName())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve(".aws/config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/credentials").toString());
        env.put("AWS_PROFILE", profile);
        env.put("AWS_ENDPOINT_URL", cloud.endpoint().toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.putAll(extra);
        Process process = builder.start();
        String output;
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("credential probe did not finish in 60 s");
            }
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            process.destroyForcibly();
        }
        Map<String, String> values = new java.util.LinkedHashMap<>();
        output.lines().filter(l -> l.matches("(region|arn|failed)=.*"))
                .forEach(l -> values.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertThat(values).as("probe output:%n%s", output).isNotEmpty();
        return values;
    }
}
