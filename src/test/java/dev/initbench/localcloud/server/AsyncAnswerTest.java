package dev.initbench.localcloud.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.credentials.CredentialRegistry;
import dev.initbench.localcloud.invoke.InvocationThrottledException;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.RestService;
import dev.initbench.localcloud.ssm.ParameterStore;
import dev.initbench.localcloud.ssm.SsmService;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * Answers a binding gives later ({@code handleAsync}) hold no endpoint thread: more of them pending than the endpoint
 * has handler threads, another service still answers, and each pending one is written, success or error, in the
 * binding's shape, once it completes.
 */
class AsyncAnswerTest {

    /** Above the endpoint's 64 handler threads: a design that parks one per pending answer would stall here. */
    private static final int PENDING = 80;
    private static final String KEY = "AKIAASYNCANSWERTEST1";
    private static final String SECRET = "async-secret";

    private final LocalEndpoint endpoint = LocalEndpoint.bind(0);
    private final LinkedBlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private final ExecutorService callers = Executors.newFixedThreadPool(PENDING);

    private record Pending(String body, CompletableFuture<AwsResponse> answer) {
    }

    AsyncAnswerTest() {
        CloudContext context = new CloudContext(endpoint.uri(), "us-east-1", "000000000000", KEY, SECRET);
        RestService heldService = new RestService() {
            @Override
            public AwsResponse handle(AwsRequest request) {
                throw new AssertionError("the endpoint must use handleAsync");
            }

            @Override
            public CompletableFuture<AwsResponse> handleAsync(AwsRequest request) {
                CompletableFuture<AwsResponse> answer = new CompletableFuture<>();
                pending.add(new Pending(request.bodyText(), answer));
                return answer;
            }
        };
        endpoint.serve(new ServiceRegistry().restJson("lambda", heldService)
                        .json("ssm", new SsmService(context, new ParameterStore(Optional.empty()))),
                new CredentialRegistry(KEY, SECRET));
    }

    @AfterEach
    void close() throws InterruptedException {
        callers.shutdownNow();
        endpoint.close();
        assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void pendingAnswersHoldNoThreadAndAreWrittenWhenTheyComplete() throws Exception {
        try (LambdaClient lambda = client(LambdaClient.builder()); SsmClient ssm = client(SsmClient.builder())) {
            List<CompletableFuture<InvokeResponse>> calls = new ArrayList<>();
            for (int i = 0; i < PENDING; i++) {
                String payload = "{\"n\":" + i + "}";
                calls.add(CompletableFuture.supplyAsync(() -> lambda.invoke(request -> request.functionName("f")
                        .payload(SdkBytes.fromUtf8String(payload))), callers));
            }
            List<Pending> held = new ArrayList<>();
            for (int i = 0; i < PENDING; i++) {
                Pending next = pending.poll(60, TimeUnit.SECONDS);
                assertThat(next).as("request %d of %d reached the service", i + 1, PENDING).isNotNull();
                held.add(next);
            }

            ssm.putParameter(request -> request.name("/answered").value("while held").type(ParameterType.STRING));
            assertThat(ssm.getParameter(request -> request.name("/answered")).parameter().value())
                    .isEqualTo("while held");
            assertThat(calls).noneMatch(CompletableFuture::isDone);

            held.get(0).answer().completeExceptionally(new InvocationThrottledException(
                    InvocationThrottledException.Cause.CONCURRENCY_LIMIT, "Rate Exceeded."));
            held.get(1).answer().completeExceptionally(new IllegalStateException("broken on purpose"));
            for (Pending each : held.subList(2, held.size())) {
                each.answer().complete(AwsResponse.of(200, "application/json",
                        each.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .withHeader("X-Amz-Executed-Version", "$LATEST"));
            }

            List<String> echoed = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (CompletableFuture<InvokeResponse> call : calls) {
                try {
                    InvokeResponse response = call.get(60, TimeUnit.SECONDS);
                    assertThat(response.executedVersion()).isEqualTo("$LATEST");
                    echoed.add(response.payload().asUtf8String());
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(echoed).hasSize(PENDING - 2).doesNotHaveDuplicates();
            assertThat(failures).hasSize(2);
            assertThat(failures).filteredOn(TooManyRequestsException.class::isInstance).singleElement()
                    .satisfies(e -> {
                        TooManyRequestsException throttle = (TooManyRequestsException) e;
                        assertThat(throttle.statusCode()).isEqualTo(429);
                        assertThat(throttle.reasonAsString()).isEqualTo("ConcurrentInvocationLimitExceeded");
                        assertThat(throttle.awsErrorDetails().errorMessage()).isEqualTo("Rate Exceeded.");
                    });
            assertThat(failures).filteredOn(e -> !(e instanceof TooManyRequestsException)).singleElement()
                    .satisfies(e -> {
                        LambdaException fault = (LambdaException) e;
                        assertThat(fault.statusCode()).isEqualTo(500);
                        assertThat(fault.awsErrorDetails().errorCode()).isEqualTo("ServiceException");
                        assertThat(fault.awsErrorDetails().errorMessage()).contains("broken on purpose");
                    });
        }
    }

    private <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<B, C>, C> C client(B builder) {
        return builder.endpointOverride(URI.create(endpoint.uri().toString())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(retry -> retry.maxAttempts(1)).build())
                .build();
    }
}
