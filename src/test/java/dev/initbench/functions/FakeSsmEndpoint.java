package dev.initbench.functions;

import com.sun.net.httpserver.HttpExchange;
import dev.initbench.localcloud.server.LoopbackServers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * A controllable SSM GetParameter endpoint on loopback speaking awsJson 1.1, for unit tests of the functions and of
 * the local Lambda service (whose execution environments reach it through {@code AWS_ENDPOINT_URL}).
 * Each test sets how it answers; it counts the calls it receives.
 */
public final class FakeSsmEndpoint implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger getParameterCalls = new AtomicInteger();
    private volatile int status = 200;
    private volatile String body = "{}";
    private volatile Duration delay = Duration.ZERO;
    /** Error answers still to give before the configured answer, and their body. */
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile String failureBody = "";

    public FakeSsmEndpoint() throws IOException {
        LoopbackServers.disableNagle();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    public void answerValue(String name, String value) {
        answer(200, "{\"Parameter\":{\"Name\":\"" + name + "\",\"Type\":\"String\",\"Value\":\"" + value
                + "\",\"Version\":1,\"LastModifiedDate\":1741608000.123,\"DataType\":\"text\"}}");
    }

    void answerError(String code, String message) {
        answer(400, "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    /** The next {@code count} GetParameter calls fail with this error; later ones get the configured answer. */
    void failNext(int count, String code, String message) {
        failureBody = "{\"__type\":\"" + code + "\",\"message\":\"" + message + "\"}";
        failuresLeft.set(count);
    }

    public void delayEachAnswerBy(Duration delay) {
        this.delay = delay;
    }

    public int getParameterCalls() {
        return getParameterCalls.get();
    }

    /** Where this endpoint listens, e.g. {@code http://127.0.0.1:43123}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * A source whose client talks to this endpoint with test credentials and no SDK retries; the eager init retry
     * keeps its 5 attempts but waits 1 ms between them.
     */
    ParameterSource source(String parameterName) {
        URI endpoint = endpoint();
        return new ParameterSource(parameterName, () -> SsmClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build(), new InitRetry(InitRetry.DEFAULT.maxAttempts(), Duration.ofMillis(1), Duration.ofMillis(1)));
    }

    private void answer(int status, String body) {
        this.status = status;
        this.body = body;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if ("AmazonSSM.GetParameter".equals(exchange.getRequestHeaders().getFirst("X-Amz-Target"))) {
                getParameterCalls.incrementAndGet();
            }
            Thread.sleep(delay.toMillis());
            boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            int status = fail ? 400 : this.status;
            byte[] bytes = (fail ? failureBody : body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
