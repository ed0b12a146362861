package dev.initbench.localcloud.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.resource.ProvisionedResource;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.resource.ResourceRequest;
import dev.initbench.localcloud.resource.StackInfo;
import dev.initbench.localcloud.lambda.EnvironmentInfo;
import dev.initbench.localcloud.lambda.LambdaService;
import dev.initbench.localcloud.lambda.LambdaServiceExtension;
import dev.initbench.localcloud.lambda.ProvisionedConcurrencyState;
import dev.initbench.localcloud.lambda.LambdaTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP API front door, built through the CloudFormation providers as template.yaml declares it, in front of a
 * provisioned alias of a real runtime-client JVM.
 */
class HttpApiServiceTest {

    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder()
            .settings(settings -> settings.concurrencyLimit(1)).build();
    private final Map<String, ResourceProvider> providers = new LinkedHashMap<>();
    private final Deque<ProvisionedResource> created = new ArrayDeque<>();
    private final StackInfo stack = new StackInfo("front", "arn:aws:cloudformation:us-east-1:123456789012:stack/front/1",
            "us-east-1", "123456789012");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LambdaService lambda;
    private HttpApiService apis;

    @BeforeEach
    void putAnHttpApiServiceInFront() throws Exception {
        lambda = extension.service();
        apis = extension.open(service -> new HttpApiService(service.context(), service));
        List<ResourceProvider> all = new ArrayList<>(lambda.resourceProviders());
        all.addAll(apis.resourceProviders());
        providers.putAll(all.stream().collect(Collectors.toMap(ResourceProvider::resourceType, Function.identity())));
    }

    /** Deletes what the test created, as a stack deletion would; the extension then closes both services. */
    @AfterEach
    void deletingTheResourcesLeavesNothing() {
        while (!created.isEmpty()) {
            ProvisionedResource resource = created.pop();
            providers.get(resource.type()).delete(resource);
        }
        assertThat(apis.apiIds()).isEmpty();
        assertThat(lambda.environments()).isEmpty();
    }

    private ProvisionedResource create(String type, String logicalId, Map<String, Object> properties) {
        ProvisionedResource resource = providers.get(type).create(new ResourceRequest(logicalId, properties, stack));
        created.push(resource);
        return resource;
    }

    @Test
    void routesToTheAliasWithPayload2AndAnswersErrorsAsHttpApisDo() throws Exception {
        ProvisionedResource function = create("AWS::Lambda::Function", "Function", Map.of(
                "Runtime", "java17", "Handler", LambdaTestSupport.MISBEHAVING_HANDLER, "MemorySize", 256,
                "Timeout", 10, "Role", "arn:aws:iam::123456789012:role/r",
                "Code", Map.of("S3Bucket", LambdaTestSupport.BUCKET, "S3Key", LambdaTestSupport.MISBEHAVING_KEY)));
        assertThat(function.ref()).startsWith("front-Function-");
        assertThat(function.attributes().get("Arn"))
                .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:" + function.ref());
        ProvisionedResource version = create("AWS::Lambda::Version", "Version", Map.of("FunctionName", function.ref()));
        assertThat(version.attributes()).containsEntry("Version", "1");
        assertThat(version.ref()).isEqualTo(function.attributes().get("Arn") + ":1");
        ProvisionedResource alias = create("AWS::Lambda::Alias", "Alias", Map.of("Name", "live",
                "FunctionName", function.ref(), "FunctionVersion", "1",
                "ProvisionedConcurrencyConfig", Map.of("ProvisionedConcurrentExecutions", 1)));
        assertThat(alias.ref()).isEqualTo(function.attributes().get("Arn") + ":live");
        assertThat(lambda.getProvisionedConcurrency(function.ref(), "live").status())
                .as("the alias is created only once provisioned concurrency is READY").isEqualTo(ProvisionedConcurrencyState.READY);
        List<EnvironmentInfo> environments = lambda.environments();
        assertThat(environments).hasSize(1);

        ProvisionedResource api = create("AWS::ApiGatewayV2::Api", "HttpApi", Map.of("Name", "front-api",
                "ProtocolType", "HTTP"));
        ProvisionedResource integration = create("AWS::ApiGatewayV2::Integration", "Integration", Map.of(
                "ApiId", api.ref(), "IntegrationType", "AWS_PROXY", "IntegrationUri", alias.ref(),
                "PayloadFormatVersion", "2.0", "TimeoutInMillis", 1000));
        create("AWS::ApiGatewayV2::Route", "Route", Map.of("ApiId", api.ref(), "RouteKey", "GET /echo",
                "Target", "integrations/" + integration.ref()));
        create("AWS::ApiGatewayV2::Stage", "Stage", Map.of("ApiId", api.ref(), "StageName", "$default",
                "AutoDeploy", true));
        create("AWS::Lambda::Permission", "Permission", Map.of("Action", "lambda:InvokeFunction",
                "FunctionName", alias.ref(), "Principal", "apigateway.amazonaws.com",
                "SourceArn", "arn:aws:execute-api:us-east-1:123456789012:" + api.ref() + "/*/*/echo"));
        String endpoint = api.attributes().get("ApiEndpoint");
        assertThat(endpoint).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(api.attributes()).containsEntry("ApiId", api.ref());

        HttpResponse<String> proxied = get(endpoint + "/echo?x=1&x=2", "Cookie", "c=3; d=4");
        assertThat(proxied.statusCode()).isEqualTo(201);
        assertThat(proxied.body()).isEqualTo("path=/echo query=x=1&x=2");
        assertThat(proxied.headers().firstValue("x-test")).contains("yes");
        assertThat(proxied.headers().allValues("set-cookie")).containsExactlyInAnyOrder("a=1", "b=2");
        assertThat(proxied.headers().firstValue("apigw-requestid")).isPresent();

        HttpResponse<String> plain = get(endpoint + "/echo?action=plain");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("content-type")).contains("application/json");
        assertThat(plain.body()).contains("\"initializationType\":\"provisioned-concurrency\"")
                .contains("\"invokedFunctionArn\":\"" + alias.ref() + "\"").contains("\"functionVersion\":\"1\"");

        assertThat(get(endpoint + "/echo?action=throw")).satisfies(response -> {
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        });
        assertThat(get(endpoint + "/missing")).satisfies(response -> {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("{\"message\":\"Not Found\"}");
        });
        assertThat(get(endpoint + "/echo?action=sleep&ms=2500")).satisfies(response -> {
            assertThat(response.statusCode()).as("integration timeout").isEqualTo(503);
            assertThat(response.body()).isEqualTo("{\"message\":\"Service Unavailable\"}");
        });
        // The timed-out invocation still runs (as on AWS) and holds the concurrency limit of 1.
        assertThat(get(endpoint + "/echo")).satisfies(response -> {
            assertThat(response.statusCode()).as("throttled").isEqualTo(429);
            assertThat(response.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        });
        HttpResponse<String> recovered = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            recovered = get(endpoint + "/echo");
            if (recovered.statusCode() != 429) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(recovered.statusCode()).isEqualTo(201);
        assertThat(lambda.environments()).as("every request was served by the one provisioned environment")
                .extracting(EnvironmentInfo::id).containsExactly(environments.get(0).id());
    }

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
