package dev.initbench.localcloud.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.invoke.FunctionInvoker;
import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.invoke.InvocationThrottledException;
import dev.initbench.localcloud.protocol.AwsServiceException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP API in front of a stand-in for Lambda: what it answers for each outcome of the invoke port. */
class HttpApiInvokePortTest {

    private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:front";

    private final CloudContext context = new CloudContext(URI.create("http://127.0.0.1:9"), "us-east-1",
            "123456789012", "AKIATESTLOCAL", "test-secret");
    private final List<HttpApiService> services = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        services.forEach(HttpApiService::close);
    }

    private HttpResponse<String> get(FunctionInvoker lambda) throws Exception {
        return http.send(HttpRequest.newBuilder(serve(lambda, 5_000)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The URL of {@code GET /hello} on a new API whose integration has this timeout. */
    private URI serve(FunctionInvoker lambda, int timeoutMillis) {
        HttpApiService apis = new HttpApiService(context, lambda);
        services.add(apis);
        String api = apis.createApi("port");
        String integration = apis.createIntegration(api, FUNCTION_ARN + ":live", timeoutMillis);
        apis.createRoute(api, "GET /hello", "integrations/" + integration);
        apis.createStage(api, "$default");
        return URI.create(apis.apiEndpoint(api) + "/hello");
    }

    /** A port whose invocations complete only when the test says so. */
    private static final class HeldInvocations implements FunctionInvoker {
        final List<CompletableFuture<InvocationResult>> started = new CopyOnWriteArrayList<>();

        @Override
        public InvocationResult invoke(String functionName, Optional<String> qualifier, byte[] payload) {
            throw new AssertionError("the front door must not wait on a thread for an invocation");
        }

        @Override
        public CompletableFuture<InvocationResult> invokeAsync(String functionName, Optional<String> qualifier,
                                                               byte[] payload) {
            CompletableFuture<InvocationResult> invocation = new CompletableFuture<>();
            started.add(invocation);
            return invocation;
        }
    }

    private static InvocationResult answered(String body) {
        return new InvocationResult(("{\"statusCode\":200,\"body\":\"" + body + "\"}").getBytes(StandardCharsets.UTF_8),
                Optional.empty(), "1", "0".repeat(32), false, false, 1.0);
    }

    @Test
    void requestsInFlightHoldNoThreadAndAreAnsweredWhenTheirInvocationsComplete() throws Exception {
        HeldInvocations lambda = new HeldInvocations();
        URI url = serve(lambda, 10_000);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()));
        }
        // All five reach the port while none is answered: the dispatcher did not wait for any of them.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lambda.started.size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(lambda.started).hasSize(5);
        assertThat(responses).noneMatch(CompletableFuture::isDone);
        for (int i = 4; i >= 0; i--) {
            lambda.started.get(i).complete(answered("n" + i));
        }
        assertThat(responses.stream().map(response -> response.join().statusCode())).containsOnly(200);
        assertThat(responses.stream().map(response -> response.join().body()))
                .containsExactlyInAnyOrder("n0", "n1", "n2", "n3", "n4");
    }

    @Test
    void anInvocationPastTheIntegrationTimeoutIsAnswered503AndItsLateResultIsIgnored() throws Exception {
        HeldInvocations lambda = new HeldInvocations();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(serve(lambda, 200)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
        assertThat(lambda.started).hasSize(1);
        assertThat(lambda.started.get(0).isDone()).as("the function keeps running").isFalse();
        lambda.started.get(0).complete(answered("late")); // nothing left to answer: must not throw
    }

    @Test
    void aFailedInvocationIsAnswered500() throws Exception {
        HeldInvocations lambda = new HeldInvocations();
        CompletableFuture<HttpResponse<String>> response = http.sendAsync(
                HttpRequest.newBuilder(serve(lambda, 10_000)).build(), HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lambda.started.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        lambda.started.get(0).completeExceptionally(new IllegalStateException("the port failed"));
        assertThat(response.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
    }

    @Test
    void aThrottledInvocationIsAnswered429() throws Exception {
        HttpResponse<String> response = get((name, qualifier, payload) -> {
            throw new InvocationThrottledException(InvocationThrottledException.Cause.CONCURRENCY_LIMIT,
                    "Rate Exceeded.");
        });
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
    }

    @Test
    void anyOtherFailureIsAnswered500EvenWithStatus429() throws Exception {
        HttpResponse<String> response = get((name, qualifier, payload) -> {
            throw new AwsServiceException("SomethingElse", 429, "not a throttle");
        });
        assertThat(response.statusCode()).isEqualTo(500);
    }

    @Test
    void theRouteInvokesTheIntegrationsFunctionAndQualifier() throws Exception {
        List<String> invoked = new ArrayList<>();
        HttpResponse<String> response = get((name, qualifier, payload) -> {
            invoked.add(name + " " + qualifier.orElse("-"));
            return new InvocationResult("{\"statusCode\":201,\"body\":\"made\"}".getBytes(StandardCharsets.UTF_8),
                    Optional.empty(), "1", "0".repeat(32), false, false, 1.0);
        });
        assertThat(invoked).containsExactly("front live");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("made");
    }
}
