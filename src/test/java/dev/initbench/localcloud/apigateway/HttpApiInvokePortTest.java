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
        HttpApiService apis = new HttpApiService(context, lambda);
        services.add(apis);
        String api = apis.createApi("port");
        String integration = apis.createIntegration(api, FUNCTION_ARN + ":live", 5_000);
        apis.createRoute(api, "GET /hello", "integrations/" + integration);
        apis.createStage(api, "$default");
        return http.send(HttpRequest.newBuilder(URI.create(apis.apiEndpoint(api) + "/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aThrottledInvocationIsAnswered429() throws Exception {
        HttpResponse<String> response = get((name, qualifier, payload) -> {
            throw new InvocationThrottledException("Rate Exceeded.");
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
