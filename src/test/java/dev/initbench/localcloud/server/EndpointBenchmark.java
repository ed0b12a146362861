package dev.initbench.localcloud.server;

import com.sun.net.httpserver.HttpServer;
import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.TestClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * What the local cloud's endpoint costs a warm SSM GetParameter (the call the functions make): the SDK client
 * against the full endpoint (routing, SigV4 verification, awsJson rendering) versus the same client against a bare
 * JDK HTTP server returning a canned answer. Run explicitly:
 * {@code ./mvnw -B -o test -Dtest=EndpointBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; figures go to
 * {@code target/benchmarks/endpoint.txt}.
 */
class EndpointBenchmark {

    private static final int WARM_UP = 500;
    private static final int MEASURED = 3000;

    @Test
    void getParameterThroughTheLocalCloudVersusABareServer() throws IOException {
        Histogram localCloud;
        try (LocalCloud cloud = LocalCloud.builder().start(); SsmClient ssm = TestClients.ssm(cloud)) {
            ssm.putParameter(b -> b.name("/bench/value").value("hello").type(ParameterType.STRING));
            localCloud = measure(() -> ssm.getParameter(b -> b.name("/bench/value")).parameter().value());
        }
        Histogram bare;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        byte[] answer = ("{\"Parameter\":{\"Name\":\"/bench/value\",\"Type\":\"String\",\"Value\":\"hello\","
                + "\"Version\":1,\"LastModifiedDate\":1741608000.123,\"DataType\":\"text\"}}")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        try (SsmClient ssm = SsmClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .build()) {
            bare = measure(() -> ssm.getParameter(b -> b.name("/bench/value")).parameter().value());
        } finally {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
        String report = String.format("SSM GetParameter, SDK v2 sync client + URL-connection client, %d calls after "
                        + "%d warm-up, sequential, loopback%n"
                        + "                 p50 us   p90 us   p99 us   max us%n"
                        + "local cloud   %9d%9d%9d%9d%n"
                        + "bare server   %9d%9d%9d%9d%n"
                        + "ratio p50 %.2f, p99 %.2f%n", MEASURED, WARM_UP,
                localCloud.getValueAtPercentile(50), localCloud.getValueAtPercentile(90),
                localCloud.getValueAtPercentile(99), localCloud.getMaxValue(),
                bare.getValueAtPercentile(50), bare.getValueAtPercentile(90), bare.getValueAtPercentile(99),
                bare.getMaxValue(),
                (double) localCloud.getValueAtPercentile(50) / bare.getValueAtPercentile(50),
                (double) localCloud.getValueAtPercentile(99) / bare.getValueAtPercentile(99));
        Path out = Path.of("target", "benchmarks", "endpoint.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.print(report);
    }

    private static Histogram measure(Supplier<String> call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.get();
        }
        Histogram histogram = new Histogram(60_000_000L, 3);
        for (int i = 0; i < MEASURED; i++) {
            long start = System.nanoTime();
            call.get();
            histogram.recordValue((System.nanoTime() - start) / 1000);
        }
        return histogram;
    }
}
