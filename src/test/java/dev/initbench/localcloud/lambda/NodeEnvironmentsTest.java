package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initbench.functions.FakeSsmEndpoint;
import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.server.LoopbackServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real Node.js execution environments: the project's Node.js functions under the official runtime interface client
 * on the project's own Node.js install, started by the local Lambda service on demand and under provisioned
 * concurrency, with their platform log lines, an init failure, and no process left behind.
 */
class NodeEnvironmentsTest {

    static {
        // Before the first JDK HTTP server of this JVM (the fake SSM endpoint) reads the setting.
        LoopbackServers.disableNagle();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMETER = "/test/node-value";

    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder().fakeSsm()
            .settings(settings -> settings.selectionSeed(3)).build();
    private FakeSsmEndpoint ssm;
    private LogStore logs;
    private LambdaService lambda;

    @BeforeEach
    void answerTheParameter() {
        ssm = extension.ssm();
        logs = extension.logs();
        lambda = extension.service();
        ssm.answerValue(PARAMETER, "from-node");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs22.x", "nodejs24.x"})
    void onDemandColdStartRunsInitThenServesWarm(String runtime) throws Exception {
        createFunction("esm", runtime, "esm.handler");

        InvocationResult first = invoke("esm", Optional.empty());
        assertThat(first.functionError()).as(first.payloadText() + "\n" + LambdaTestSupport.logLines(logs,
                "/aws/lambda/esm")).isEmpty();
        assertThat(first.coldStart()).isTrue();
        JsonNode facts = body(first);
        assertThat(facts.get("function").asText()).isEqualTo("esm");
        assertThat(facts.get("value").asText()).isEqualTo("from-node");
        assertThat(facts.get("setupPhase").asText()).isEqualTo("init");
        assertThat(facts.get("initializationType").asText()).isEqualTo("on-demand");
        assertThat(facts.get("firstInvocation").asBoolean()).isTrue();

        InvocationResult second = invoke("esm", Optional.empty());
        assertThat(second.coldStart()).isFalse();
        assertThat(second.environmentId()).isEqualTo(first.environmentId());
        assertThat(body(second).get("invocation").asInt()).isEqualTo(2);
        assertThat(ssm.getParameterCalls()).as("top-level await fetched once, during init").isEqualTo(1);

        RuntimeInstallation installation = lambda.runtimeInstallation(runtime);
        String major = runtime.substring("nodejs".length(), runtime.length() - 2);
        assertThat(installation.fullVersion()).startsWith(major + ".");
        List<String> lines = lines("esm", lambda.environments().get(0).logStreamName());
        assertThat(lines.get(0)).isEqualTo("INIT_START Runtime Version: nodejs:" + major + ".local\tNode.js: v"
                + installation.fullVersion() + " " + ((NodeRuntime) installation).node()
                + "\tRuntime client: aws-lambda-ric 4.0.2");
        List<String> reports = lines.stream().filter(line -> line.startsWith("REPORT ")).toList();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).startsWith("REPORT RequestId: " + facts.get("awsRequestId").asText())
                .contains("Init Duration: ");
        assertThat(reports.get(1)).doesNotContain("Init Duration");
        String secondRequest = body(second).get("awsRequestId").asText();
        assertThat(lines).anyMatch(line -> line.startsWith("START RequestId: " + secondRequest));
    }

    @Test
    void provisionedEnvironmentsInitializeAheadOfTraffic() throws Exception {
        createFunction("cjs", "nodejs22.x", "cjs.handler");
        lambda.publishVersion("cjs", Optional.empty());
        lambda.createAlias("cjs", "live", "1", Optional.empty());
        lambda.putProvisionedConcurrency("cjs", "live", 2);
        LambdaService.ProvisionedConcurrencyStatus status =
                lambda.awaitProvisionedConcurrency("cjs", "live", Duration.ofSeconds(120));
        assertThat(status.status()).as(() -> status.statusReason().orElse("") + "\n"
                + LambdaTestSupport.logLines(logs, "/aws/lambda/cjs")).isEqualTo(ProvisionedConcurrencyState.READY);
        List<EnvironmentInfo> provisioned = lambda.environments();
        assertThat(provisioned).hasSize(2).allSatisfy(env -> {
            assertThat(env.initializationType()).isEqualTo(InitializationType.PROVISIONED_CONCURRENCY);
            assertThat(env.state()).isEqualTo(EnvironmentState.IDLE);
            assertThat(env.invocations()).isZero();
        });

        InvocationResult result = invoke("cjs", Optional.of("live"));
        assertThat(result.functionError()).as(result.payloadText()).isEmpty();
        assertThat(result.coldStart()).isFalse();
        assertThat(result.executedVersion()).isEqualTo("1");
        JsonNode facts = body(result);
        assertThat(facts.get("function").asText()).isEqualTo("cjs");
        assertThat(facts.get("setupPhase").asText()).isEqualTo("init-started");
        assertThat(facts.get("initializationType").asText()).isEqualTo("provisioned-concurrency");
        assertThat(facts.get("value").asText()).isEqualTo("from-node");

        EnvironmentInfo served = lambda.environments().stream()
                .filter(env -> env.id().equals(result.environmentId())).findFirst().orElseThrow();
        List<String> lines = lines("cjs", served.logStreamName());
        assertThat(lines.get(0)).startsWith("INIT_START Runtime Version: nodejs:22.local\tNode.js: v22.");
        assertThat(lines).filteredOn(line -> line.startsWith("REPORT ")).hasSize(1)
                .allSatisfy(line -> assertThat(line).doesNotContain("Init Duration"));
        assertThat(served.logStreamName()).contains("/[1]");
    }

    @Test
    void aHandlerThatCannotLoadFailsInitOnDemandAndUnderProvisionedConcurrency() throws Exception {
        createFunction("broken", "nodejs22.x", "missing.handler");

        InvocationResult result = invoke("broken", Optional.empty());
        assertThat(result.functionError()).contains("Unhandled");
        assertThat(JSON.readTree(result.payload()).get("errorType").asText()).isEqualTo("Runtime.ImportModuleError");
        assertThat(lambda.environments()).as("the failed environment is discarded").isEmpty();
        assertThat(LambdaTestSupport.logLines(logs, "/aws/lambda/broken"))
                .contains("INIT_REPORT Init Duration: ").contains("Status: error\tError Type: Runtime.ImportModuleError");

        lambda.publishVersion("broken", Optional.empty());
        lambda.createAlias("broken", "live", "1", Optional.empty());
        lambda.putProvisionedConcurrency("broken", "live", 1);
        LambdaService.ProvisionedConcurrencyStatus status =
                lambda.awaitProvisionedConcurrency("broken", "live", Duration.ofSeconds(60));
        assertThat(status.status()).isEqualTo(ProvisionedConcurrencyState.FAILED);
        assertThat(status.statusReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("FUNCTION_ERROR_INIT_FAILURE"));
        assertThat(lambda.environments()).isEmpty();
    }

    private void createFunction(String name, String runtime, String handler) {
        lambda.createFunction(new LambdaService.FunctionSpec(name, runtime, handler, 512, 15,
                "arn:aws:iam::123456789012:role/r", "", Map.of("PARAMETER_NAME", PARAMETER),
                LambdaService.Code.s3(LambdaTestSupport.BUCKET, LambdaTestSupport.NODE_FUNCTIONS_KEY)));
    }

    private InvocationResult invoke(String function, Optional<String> qualifier) {
        return lambda.invoke(function, qualifier, ("{\"version\":\"2.0\",\"rawPath\":\"/" + function
                + "\",\"requestContext\":{\"http\":{\"method\":\"GET\"}}}").getBytes(StandardCharsets.UTF_8));
    }

    private List<String> lines(String function, String stream) {
        return logs.events("/aws/lambda/" + function, stream).stream().map(LogStore.LogEvent::message).toList();
    }

    private static JsonNode body(InvocationResult result) throws Exception {
        return JSON.readTree(JSON.readTree(result.payload()).get("body").asText());
    }
}
