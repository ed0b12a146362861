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
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The endpoint's model of AWS's network and service time: an execution environment's (session key's) answers come
 * no sooner than the per-request latency, the first on a connection later by the setup too, the cloud's own key is
 * not delayed, and an answer that falls due while the environment is frozen is held until it thaws. Only lower
 * bounds are asserted on the delayed calls (a busy host makes everything later, never earlier); the figures are large
 * so an undelayed call cannot reach them.
 */
class ServiceLatencyTest {

    private static final Duration PER_REQUEST = Duration.ofMillis(400);
    private static final Duration NEW_CONNECTION = Duration.ofMillis(1200);

    private final LocalEndpoint endpoint = LocalEndpoint.bind(0);
    private final CredentialRegistry registry = new CredentialRegistry("AKIAOWNKEYFORTEST001", "own-secret");

    ServiceLatencyTest() {
        CloudContext context = new CloudContext(endpoint.uri(), "us-east-1", "000000000000", "AKIAOWNKEYFORTEST001",
                "own-secret");
        endpoint.serve(new ServiceRegistry().json("ssm", new SsmService(context, new ParameterStore(Optional.empty()))),
                registry, new ServiceLatency(PER_REQUEST, NEW_CONNECTION));
    }

    @AfterEach
    void close() {
        endpoint.close();
    }

    @Test
    void anEnvironmentsCallsAreAnsweredNoSoonerThanTheModelSays() {
        CallerSession session = registry.issueSession();
        try (SsmClient own = client(AwsBasicCredentials.create("AKIAOWNKEYFORTEST001", "own-secret"));
             SsmClient environment = client(sessionCredentials(session))) {
            own.putParameter(r -> r.name("/p").value("v").type(ParameterType.STRING));
            long ownMs = timeMs(() -> own.getParameter(r -> r.name("/p")));
            assertThat(ownMs).as("the cloud's own key is not delayed").isLessThan(PER_REQUEST.toMillis());

            long firstMs = timeMs(() -> environment.getParameter(r -> r.name("/p")));
            assertThat(firstMs).as("first call: new connection plus request")
                    .isGreaterThanOrEqualTo(PER_REQUEST.plus(NEW_CONNECTION).toMillis());
            long secondMs = timeMs(() -> environment.getParameter(r -> r.name("/p")));
            assertThat(secondMs).as("kept-alive connection: the request's latency only")
                    .isGreaterThanOrEqualTo(PER_REQUEST.toMillis())
                    .isLessThan(PER_REQUEST.plus(NEW_CONNECTION).toMillis());
        }
    }

    @Test
    void anAnswerThatFallsDueWhileFrozenWaitsForTheThaw() throws Exception {
        CallerSession session = registry.issueSession();
        try (SsmClient own = client(AwsBasicCredentials.create("AKIAOWNKEYFORTEST001", "own-secret"));
             SsmClient environment = client(sessionCredentials(session))) {
            own.putParameter(r -> r.name("/p").value("v").type(ParameterType.STRING));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() ->
                    environment.getParameter(r -> r.name("/p")).parameter().value());
            session.holdAnswers(Duration.ofSeconds(1)); // frozen before the answer is due
            for (int poll = 0; poll < 200 && session.heldCount() == 0; poll++) {
                Thread.sleep(50);
            }
            assertThat(session.heldCount()).as("fell due, and held for the thaw").isEqualTo(1);
            assertThatThrownBy(() -> answer.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            session.releaseAnswers(Runnable::run);
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo("v");
        }
    }

    @Test
    void figuresOutsideZeroToTenSecondsAreRefused() {
        assertThatThrownBy(() -> ServiceLatency.ofMillis(-1, 0))
                .hasMessage("service latency perRequest must be from 0 to 10000 ms, got -1 ms");
        assertThatThrownBy(() -> ServiceLatency.ofMillis(0, 10_001))
                .hasMessage("service latency newConnection must be from 0 to 10000 ms, got 10001 ms");
        assertThat(ServiceLatency.NONE.delayFor(true)).isZero();
        assertThat(ServiceLatency.ASSUMED_AWS.delayFor(true)).isEqualTo(Duration.ofMillis(20));
        assertThat(ServiceLatency.ASSUMED_AWS.delayFor(false)).isEqualTo(Duration.ofMillis(10));
    }

    private static long timeMs(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static AwsCredentials sessionCredentials(CallerSession session) {
        return AwsSessionCredentials.create(session.credentials().accessKeyId(),
                session.credentials().secretAccessKey(), session.credentials().sessionToken());
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
