package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.RestService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionCode;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyConfigNotFoundException;
import software.amazon.awssdk.services.lambda.model.ProvisionedConcurrencyStatusEnum;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** The Lambda REST-JSON control plane, driven by the real AWS SDK v2 Lambda client. */
class LambdaControlPlaneTest {

    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();
    private LambdaService lambda;
    private LambdaClient client;

    @BeforeEach
    void serveTheControlPlane() throws Exception {
        lambda = extension.service();
        RestServer server = extension.open(service -> new RestServer(service.controlPlane()));
        client = extension.open(service -> LambdaClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATESTLOCAL",
                        "s")))
                .httpClient(UrlConnectionHttpClient.create())
                .build());
    }

    @Test
    void deploysProvisionsAndInvokesThroughTheSdk() throws Exception {
        client.createFunction(request -> request.functionName("sdk").runtime(Runtime.JAVA17)
                .handler(LambdaTestSupport.MISBEHAVING_HANDLER).memorySize(256).timeout(10)
                .role("arn:aws:iam::123456789012:role/r")
                .environment(env -> env.variables(Map.of("GREETING", "hi")))
                .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(LambdaTestSupport.misbehavingZip()))
                        .build()));
        GetFunctionResponse function = client.getFunction(request -> request.functionName("sdk"));
        assertThat(function.configuration().functionArn()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:sdk");
        assertThat(function.configuration().environment().variables()).containsEntry("GREETING", "hi");
        assertThat(client.getFunctionConfiguration(request -> request.functionName("sdk")).version())
                .isEqualTo("$LATEST");

        assertThat(client.publishVersion(request -> request.functionName("sdk")).version()).isEqualTo("1");
        assertThat(client.createAlias(request -> request.functionName("sdk").name("live").functionVersion("1"))
                .aliasArn()).isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:sdk:live");
        assertThat(client.getAlias(request -> request.functionName("sdk").name("live")).functionVersion())
                .isEqualTo("1");
        assertThatThrownBy(() -> client.getProvisionedConcurrencyConfig(request -> request.functionName("sdk")
                .qualifier("live"))).isInstanceOf(ProvisionedConcurrencyConfigNotFoundException.class);

        assertThat(client.putProvisionedConcurrencyConfig(request -> request.functionName("sdk").qualifier("live")
                .provisionedConcurrentExecutions(1)).status()).isEqualTo(ProvisionedConcurrencyStatusEnum.IN_PROGRESS);
        ProvisionedConcurrencyStatusEnum status = ProvisionedConcurrencyStatusEnum.IN_PROGRESS;
        for (int poll = 0; poll < 600 && status == ProvisionedConcurrencyStatusEnum.IN_PROGRESS; poll++) {
            Thread.sleep(100);
            status = client.getProvisionedConcurrencyConfig(request -> request.functionName("sdk").qualifier("live"))
                    .status();
        }
        assertThat(status).isEqualTo(ProvisionedConcurrencyStatusEnum.READY);

        InvokeResponse echo = client.invoke(request -> request.functionName("sdk").qualifier("live")
                .payload(SdkBytes.fromUtf8String("{}")));
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(echo.functionError()).isNull();
        assertThat(echo.executedVersion()).isEqualTo("1");
        assertThat(echo.payload().asUtf8String()).contains("\"initializationType\":\"provisioned-concurrency\"");

        InvokeResponse thrown = client.invoke(request -> request.functionName(
                "arn:aws:lambda:us-east-1:123456789012:function:sdk:live")
                .payload(SdkBytes.fromUtf8String("{\"action\":\"throw\"}")));
        assertThat(thrown.functionError()).isEqualTo("Unhandled");
        assertThat(thrown.payload().asUtf8String()).contains("thrown on purpose");

        assertThat(client.addPermission(request -> request.functionName("sdk").qualifier("live").statementId("api")
                .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com")).statement())
                .contains("\"Sid\":\"api\"").contains("function:sdk:live");

        assertThatThrownBy(() -> client.getFunction(request -> request.functionName("missing")))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Function not found");
        assertThatThrownBy(() -> client.invoke(request -> request.functionName("sdk").qualifier("nope")))
                .isInstanceOf(ResourceNotFoundException.class);

        long provisionedPid = lambda.environments().get(0).pid();
        client.deleteProvisionedConcurrencyConfig(request -> request.functionName("sdk").qualifier("live"));
        assertThat(ProcessHandle.of(provisionedPid).filter(ProcessHandle::isAlive)).isEmpty();
        client.deleteAlias(request -> request.functionName("sdk").name("live"));
        client.deleteFunction(request -> request.functionName("sdk"));
        assertThatThrownBy(() -> client.getFunction(request -> request.functionName("sdk")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listsFunctionsInPagesThroughTheSdkPaginator() {
        List<String> names = List.of("list-c", "list-a", "list-b");
        for (String name : names) {
            client.createFunction(request -> request.functionName(name).runtime(Runtime.JAVA17)
                    .handler(LambdaTestSupport.MISBEHAVING_HANDLER).role("arn:aws:iam::123456789012:role/r")
                    .code(FunctionCode.builder().zipFile(SdkBytes.fromByteArray(LambdaTestSupport.misbehavingZip()))
                            .build()));
        }

        ListFunctionsResponse firstPage = client.listFunctions(request -> request.maxItems(2));
        assertThat(firstPage.functions()).extracting(FunctionConfiguration::functionName)
                .containsExactly("list-a", "list-b");
        assertThat(firstPage.nextMarker()).isNotNull();
        assertThat(client.listFunctionsPaginator(request -> request.maxItems(2)).functions().stream()
                .map(FunctionConfiguration::functionName)).containsExactly("list-a", "list-b", "list-c");
        assertThatThrownBy(() -> client.listFunctions(request -> request.maxItems(0)))
                .isInstanceOfSatisfying(LambdaException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).contains("maxItems");
                });
    }

    /**
     * A tiny stand-in for the local cloud's endpoint until it is merged: serves a RestService on loopback and
     * renders AwsServiceException in restJson's error shape. No SigV4 check.
     */
    private static final class RestServer implements AutoCloseable {
        private final HttpServer server;

        RestServer(RestService service) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> serve(service, exchange));
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        private static void serve(RestService service, HttpExchange exchange) throws IOException {
            try (exchange) {
                Map<String, List<String>> query = new LinkedHashMap<>();
                String rawQuery = exchange.getRequestURI().getRawQuery();
                for (String pair : rawQuery == null ? new String[0] : rawQuery.split("&")) {
                    String[] parts = pair.split("=", 2);
                    query.computeIfAbsent(URLDecoder.decode(parts[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
                }
                Map<String, List<String>> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
                AwsRequest request = new AwsRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawPath(), query, headers, exchange.getRequestBody().readAllBytes(),
                        "lambda", "us-east-1");
                AwsResponse response;
                try {
                    response = service.handle(request);
                } catch (AwsServiceException e) {
                    response = AwsResponse.json(e.httpStatus(), "{\"Type\":\"User\",\"message\":\""
                            + e.getMessage().replace("\"", "'") + "\"}").withHeader("x-amzn-ErrorType", e.errorCode());
                }
                response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
                exchange.getResponseBody().write(response.body());
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
