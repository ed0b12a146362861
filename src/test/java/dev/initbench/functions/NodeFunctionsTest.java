package dev.initbench.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the Node.js functions from their unpacked artifact under the real AWS Lambda runtime interface client
 * (aws-lambda-ric) on each installed Node.js runtime, against a stand-in Runtime API and SSM endpoint: the way the
 * managed nodejs runtimes start them, {@code node <ric>/index.mjs} with {@code _HANDLER}, {@code LAMBDA_TASK_ROOT}
 * and {@code AWS_LAMBDA_RUNTIME_API}.
 */
class NodeFunctionsTest {

    private static final String NAME = "/bench/node-value";
    private static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration INVOKE_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path taskRoot;
    private static Properties runtimes;

    private FakeSsmEndpoint ssm;
    private StandInRuntimeApi runtimeApi;
    private Process node;
    private Path output;
    @TempDir
    Path logs;

    @BeforeAll
    static void unpackArtifactAndReadManifest() throws IOException {
        String artifact = System.getProperty("nodejs.functions.artifact.path");
        String manifest = System.getProperty("nodejs.runtimes.manifest");
        assertThat(artifact).as("system property nodejs.functions.artifact.path (set by the Maven build)").isNotBlank();
        assertThat(manifest).as("system property nodejs.runtimes.manifest (set by the Maven build)").isNotBlank();
        try (ZipFile zip = new ZipFile(artifact)) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                Path target = taskRoot.resolve(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        runtimes = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(manifest))) {
            runtimes.load(in);
        }
    }

    static Stream<String> runtimes() {
        return Stream.of("nodejs22.x", "nodejs24.x");
    }

    @BeforeEach
    void startEndpoints() throws IOException {
        ssm = new FakeSsmEndpoint();
        runtimeApi = new StandInRuntimeApi();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (node != null) {
            node.destroyForcibly();
            node.waitFor(10, TimeUnit.SECONDS);
        }
        runtimeApi.close();
        ssm.close();
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void manifestNamesTheInstalledNodeAndRuntimeClient(String runtime) throws Exception {
        Path nodeBinary = Path.of(runtimes.getProperty(runtime + ".node"));
        assertThat(nodeBinary).isExecutable();
        assertThat(Path.of(runtimes.getProperty(runtime + ".ric"))).isRegularFile();
        assertThat(Path.of(runtimes.getProperty(runtime + ".ric")).resolveSibling("rapid-client.node"))
                .as("the client's native addon, built at install").isRegularFile();
        Process version = new ProcessBuilder(nodeBinary.toString(), "--version").redirectErrorStream(true).start();
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String printed = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(printed).isEqualTo("v" + runtimes.getProperty(runtime + ".nodeVersion"))
                .startsWith("v" + runtime.substring("nodejs".length(), runtime.indexOf('.')) + ".");
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void esmFetchesDuringInitWithTopLevelAwait(String runtime) throws Exception {
        ssm.answerValue(NAME, "from-esm");
        ssm.delayEachAnswerBy(Duration.ofMillis(300));
        start(runtime, "esm.handler");
        runtimeApi.awaitNextRequest(INIT_TIMEOUT);
        assertThat(ssm.getParameterCalls()).as("fetched before init ended").isEqualTo(1);

        JsonNode first = invoke(200, null);
        JsonNode second = invoke(200, null);

        assertThat(ssm.getParameterCalls()).isEqualTo(1);
        assertThat(first.get("function").asText()).isEqualTo("esm");
        assertThat(first.get("value").asText()).isEqualTo("from-esm");
        assertThat(first.get("parameterName").asText()).isEqualTo(NAME);
        assertThat(first.get("setupPhase").asText()).isEqualTo("init");
        assertThat(first.get("initializationType").asText()).isEqualTo("provisioned-concurrency");
        assertThat(first.get("logStreamName").asText()).isEqualTo("2026/01/01/[$LATEST]node-standalone");
        assertThat(first.get("awsRequestId").asText()).isNotBlank().isNotEqualTo(second.get("awsRequestId").asText());
        assertThat(first.get("firstInvocation").asBoolean()).isTrue();
        assertThat(first.get("invocation").asLong()).isEqualTo(1);
        assertThat(first.get("fetchDurationMs").asDouble()).isGreaterThanOrEqualTo(300);
        assertThat(first.get("initDurationMs").asDouble()).isGreaterThanOrEqualTo(first.get("fetchDurationMs").asDouble());
        assertThat(first.get("clientBuildMs").asDouble()).isPositive();
        assertThat(first.get("setupInThisInvocationMs").asDouble()).isZero();
        assertThat(first.get("heldMs").asLong()).isZero();
        assertThat(first.has("initFetchSettledBeforeInvocation")).isFalse();
        assertThat(second.get("invocation").asLong()).isEqualTo(2);
        assertThat(second.get("firstInvocation").asBoolean()).isFalse();
        assertThat(second.get("environmentId").asText()).isNotBlank().isEqualTo(first.get("environmentId").asText());
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void cjsFirstInvocationAwaitsTheFetchStartedAtInit(String runtime) throws Exception {
        ssm.answerValue(NAME, "from-cjs");
        ssm.delayEachAnswerBy(Duration.ofMillis(1500));
        start(runtime, "cjs.handler");
        long initEnded = runtimeApi.awaitNextRequest(INIT_TIMEOUT);

        JsonNode first = invoke(200, null);
        long firstAnswered = System.nanoTime();
        JsonNode second = invoke(200, null);

        assertThat(first.get("function").asText()).isEqualTo("cjs");
        assertThat(first.get("value").asText()).isEqualTo("from-cjs");
        assertThat(first.get("setupPhase").asText()).isEqualTo("init-started");
        assertThat(first.get("initDurationMs").asDouble()).as("init does not wait for the fetch").isLessThan(1500);
        assertThat(first.get("initFetchSettledBeforeInvocation").asBoolean()).isFalse();
        double awaited = first.get("awaitedInInvocationMs").asDouble();
        assertThat(awaited).as("the first invocation waited for the rest of the 1.5 s answer")
                .isPositive().isLessThanOrEqualTo((firstAnswered - initEnded) / 1_000_000.0);
        assertThat(first.get("setupInThisInvocationMs").asDouble()).isEqualTo(awaited);
        assertThat(first.get("fetchDurationMs").asDouble()).isGreaterThanOrEqualTo(1500);
        assertThat(second.get("initFetchSettledBeforeInvocation").asBoolean()).isTrue();
        assertThat(second.get("awaitedInInvocationMs").asDouble()).isZero();
        assertThat(second.get("setupInThisInvocationMs").asDouble()).isZero();
        assertThat(ssm.getParameterCalls()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void cjsFetchSettlesWhileTheUnfrozenRuntimeWaitsForItsFirstEvent(String runtime) throws Exception {
        ssm.answerValue(NAME, "early");
        start(runtime, "cjs.handler");
        runtimeApi.awaitNextRequest(INIT_TIMEOUT);
        // The client's native `next` waits off the event loop, so an environment that is not frozen finishes the
        // fetch meanwhile: only freezing after init can leave it to the first invocation.
        waitUntil(() -> ssm.getParameterCalls() == 1, Duration.ofSeconds(10));
        Thread.sleep(1000);

        JsonNode first = invoke(200, null);

        assertThat(first.get("initFetchSettledBeforeInvocation").asBoolean()).isTrue();
        assertThat(first.get("awaitedInInvocationMs").asDouble()).isZero();
        assertThat(first.get("setupInThisInvocationMs").asDouble()).isZero();
    }

    static Stream<Arguments> runtimesAndHandlers() {
        return runtimes().flatMap(runtime -> Stream.of(Arguments.of(runtime, "esm.handler"),
                Arguments.of(runtime, "cjs.handler")));
    }

    @ParameterizedTest
    @MethodSource("runtimesAndHandlers")
    void missingParameterAnswers500NamingParameterAndErrorCode(String runtime, String handler) throws Exception {
        ssm.answerError("ParameterNotFound", "Parameter " + NAME + " not found.");
        start(runtime, handler);
        JsonNode body = invoke(500, null);

        assertThat(body.get("parameterName").asText()).isEqualTo(NAME);
        assertThat(body.get("errorType").asText()).isEqualTo("ParameterNotFound");
        assertThat(body.get("errorCode").asText()).isEqualTo("ParameterNotFound");
        assertThat(body.get("error").asText()).contains(NAME).contains("not found");
        assertThat(body.has("value")).isFalse();
        assertThat(body.toString()).doesNotContain("    at ");
        assertThat(runtimeApi.initErrors()).isEmpty();
        assertThat(Files.readString(output)).contains("ERROR could not read SSM parameter " + NAME);
    }

    @ParameterizedTest
    @MethodSource("runtimes")
    void holdMsKeepsTheEnvironmentBusyAndBadValuesAnswer400(String runtime) throws Exception {
        ssm.answerValue(NAME, "v");
        start(runtime, "cjs.handler");

        long start = System.nanoTime();
        JsonNode held = invoke(200, "150");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(150);
        assertThat(held.get("heldMs").asLong()).isEqualTo(150);
        for (String bad : List.of("-1", "soon", "10001")) {
            assertThat(invoke(400, bad).get("error").asText()).contains("holdMs must be a whole number").contains(bad);
        }
    }

    private void start(String runtime, String handler) throws IOException {
        String nodeBinary = runtimes.getProperty(runtime + ".node");
        String ric = runtimes.getProperty(runtime + ".ric");
        assertThat(nodeBinary).as(runtime + " in the runtime manifest").isNotNull();
        output = logs.resolve("node-" + runtime + ".log");
        ProcessBuilder builder = new ProcessBuilder(nodeBinary, ric)
                .directory(taskRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(Map.of(
                "AWS_LAMBDA_RUNTIME_API", runtimeApi.address(),
                "LAMBDA_TASK_ROOT", taskRoot.toString(),
                "_HANDLER", handler,
                "PARAMETER_NAME", NAME,
                "AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", ssm.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "test",
                "AWS_LAMBDA_INITIALIZATION_TYPE", "provisioned-concurrency",
                "AWS_LAMBDA_LOG_STREAM_NAME", "2026/01/01/[$LATEST]node-standalone"));
        // The client refuses an invocation without these (Runtime.PlatformError); Lambda always sets them.
        environment.put("AWS_LAMBDA_FUNCTION_NAME", "node-standalone");
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        environment.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/node-standalone");
        environment.put("PATH", Path.of(nodeBinary).getParent() + ":/usr/bin:/bin");
        node = builder.start();
    }

    private JsonNode invoke(int expectedStatus, String holdMs) throws Exception {
        String query = holdMs == null ? "" : "holdMs=" + holdMs;
        String event = "{\"version\":\"2.0\",\"routeKey\":\"GET /node\",\"rawPath\":\"/node\",\"rawQueryString\":\""
                + query + "\",\"headers\":{\"host\":\"localhost\"},"
                + (holdMs == null ? "" : "\"queryStringParameters\":{\"holdMs\":\"" + holdMs + "\"},")
                + "\"requestContext\":{\"accountId\":\"000000000000\",\"apiId\":\"local\",\"domainName\":\"localhost\","
                + "\"http\":{\"method\":\"GET\",\"path\":\"/node\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\","
                + "\"userAgent\":\"test\"},\"requestId\":\"r\",\"routeKey\":\"GET /node\",\"stage\":\"$default\","
                + "\"time\":\"01/Jan/2026:00:00:00 +0000\",\"timeEpoch\":1767225600000},\"isBase64Encoded\":false}";
        StandInRuntimeApi.Outcome outcome;
        try {
            outcome = runtimeApi.invoke(event, INVOKE_TIMEOUT, node);
        } catch (IllegalStateException | TimeoutException e) {
            throw new AssertionError(e.getMessage() + "; the runtime's output:\n" + Files.readString(output), e);
        }
        assertThat(outcome.kind()).as(outcome.body() + "\n" + Files.readString(output))
                .isEqualTo(StandInRuntimeApi.OutcomeKind.RESPONSE);
        JsonNode response = JSON.readTree(outcome.body());
        assertThat(response.get("statusCode").asInt()).as(outcome.body()).isEqualTo(expectedStatus);
        assertThat(response.get("headers").get("content-type").asText()).isEqualTo("application/json");
        return JSON.readTree(response.get("body").asText());
    }

    private static void waitUntil(BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within " + timeout).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
