package dev.initbench.localcloud.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.credentials.CallerSession;
import dev.initbench.localcloud.credentials.CredentialRegistry;
import dev.initbench.localcloud.ssm.ParameterStore;
import dev.initbench.localcloud.ssm.SsmService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Session keys at the endpoint: accepted with their token, refused without it or once revoked, and their answers held
 * while the session holds them (a frozen environment), written on release, dropped when the session ends.
 */
class SessionCredentialsTest {

    private final LocalEndpoint endpoint = LocalEndpoint.bind(0);
    private final CredentialRegistry registry = new CredentialRegistry("AKIAOWNKEYFORTEST001", "own-secret");

    SessionCredentialsTest() {
        CloudContext context = new CloudContext(endpoint.uri(), "us-east-1", "000000000000", "AKIAOWNKEYFORTEST001",
                "own-secret");
        endpoint.serve(new ServiceRegistry().json("ssm", new SsmService(context, new ParameterStore(Optional.empty()))),
                registry);
        try (SsmClient own = client(AwsBasicCredentials.create("AKIAOWNKEYFORTEST001", "own-secret"))) {
            own.putParameter(r -> r.name("/p").value("v").type(ParameterType.STRING));
        }
    }

    @AfterEach
    void close() {
        endpoint.close();
    }

    @Test
    void sessionKeyIsAcceptedWithItsTokenOnly() {
        CallerSession session = registry.issueSession();
        try (SsmClient withToken = client(sessionCredentials(session, session.credentials().sessionToken()));
             SsmClient wrongToken = client(sessionCredentials(session, "not-the-token"));
             SsmClient noToken = client(AwsBasicCredentials.create(session.credentials().accessKeyId(),
                     session.credentials().secretAccessKey()))) {
            assertThat(withToken.getParameter(r -> r.name("/p")).parameter().value()).isEqualTo("v");
            assertUnrecognized(() -> wrongToken.getParameter(r -> r.name("/p")));
            assertUnrecognized(() -> noToken.getParameter(r -> r.name("/p")));
            session.close();
            assertUnrecognized(() -> withToken.getParameter(r -> r.name("/p")));
        }
    }

    @Test
    void answersToAHoldingSessionWaitForItsRelease() throws Exception {
        CallerSession session = registry.issueSession();
        try (SsmClient caller = client(sessionCredentials(session, session.credentials().sessionToken()));
             SsmClient other = client(AwsBasicCredentials.create("AKIAOWNKEYFORTEST001", "own-secret"))) {
            caller.getParameter(r -> r.name("/p")); // warm the client: the held call below is the only one
            session.holdAnswers(Duration.ofSeconds(1));
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() ->
                    caller.getParameter(r -> r.name("/p")).parameter().value());
            assertThatThrownBy(() -> held.get(700, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            assertThat(session.heldCount()).isEqualTo(1);
            assertThat(other.getParameter(r -> r.name("/p")).parameter().value())
                    .as("other callers are answered meanwhile").isEqualTo("v");
            session.releaseAnswers(Runnable::run);
            assertThat(held.get(5, TimeUnit.SECONDS)).isEqualTo("v");
        }
    }

    @Test
    void answersHeldForASessionThatEndsAreDropped() throws Exception {
        CallerSession session = registry.issueSession();
        try (SsmClient caller = client(sessionCredentials(session, session.credentials().sessionToken()))) {
            session.holdAnswers(Duration.ofSeconds(1));
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() ->
                    caller.getParameter(r -> r.name("/p")).parameter().value());
            for (int poll = 0; poll < 100 && session.heldCount() == 0; poll++) {
                Thread.sleep(50);
            }
            assertThat(session.heldCount()).isEqualTo(1);
            session.close();
            assertThatThrownBy(() -> held.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(java.io.IOException.class);
        }
    }

    private static void assertUnrecognized(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AwsServiceException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    private static AwsCredentials sessionCredentials(CallerSession session, String token) {
        return AwsSessionCredentials.create(session.credentials().accessKeyId(),
                session.credentials().secretAccessKey(), token);
    }

    private SsmClient client(AwsCredentials credentials) {
        return SsmClient.builder().endpointOverride(endpoint.uri()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(b -> b.maxAttempts(1))
                        .apiCallTimeout(Duration.ofSeconds(10)).build())
                .build();
    }
}
