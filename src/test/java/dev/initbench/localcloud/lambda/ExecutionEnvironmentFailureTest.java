package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.invoke.InvocationResult;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initbench.localcloud.logs.LogStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Crashing, timing-out and failing-init environments, with real runtime-client JVMs. */
class ExecutionEnvironmentFailureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder().build();
    private LambdaService lambda;
    private LogStore logs;

    @BeforeEach
    void useTheService() {
        lambda = extension.service();
        logs = extension.logs();
    }

    private void createFunction(String name, int timeoutSeconds, Map<String, String> variables) {
        lambda.createFunction(LambdaTestSupport.misbehavingFunction(name, "java17", timeoutSeconds, variables));
    }

    private InvocationResult invoke(String function, String event) {
        return lambda.invoke(function, Optional.empty(), event.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(InvocationResult result) throws Exception {
        return JSON.readTree(result.payload());
    }

    @Test
    void crashedAndTimedOutEnvironmentsAreReportedAndReplaced() throws Exception {
        createFunction("misbehaving", 2, Map.of("JAVA_TOOL_OPTIONS", "-Dinitbench.marker=1"));

        InvocationResult first = invoke("misbehaving", "{}");
        assertThat(first.functionError()).isEmpty();
        assertThat(first.coldStart()).isTrue();
        JsonNode facts = json(first);
        assertThat(facts.get("initializationType").asText()).isEqualTo("on-demand");
        assertThat(facts.get("javaToolOptions").asText()).isEqualTo("-Dinitbench.marker=1");
        assertThat(facts.get("tieredStopAtLevel").asText()).isEqualTo("true");
        assertThat(facts.get("invokedFunctionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:misbehaving");
        long firstPid = facts.get("pid").asLong();

        InvocationResult reused = invoke("misbehaving", "{}");
        assertThat(reused.coldStart()).isFalse();
        assertThat(reused.environmentId()).isEqualTo(first.environmentId());

        InvocationResult crash = invoke("misbehaving", "{\"action\":\"crash\"}");
        assertThat(crash.functionError()).contains("Unhandled");
        assertThat(json(crash).get("errorType").asText()).isEqualTo("Runtime.ExitError");
        assertThat(json(crash).get("errorMessage").asText()).contains("exit status 3");
        assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();

        InvocationResult afterCrash = invoke("misbehaving", "{}");
        assertThat(afterCrash.functionError()).isEmpty();
        assertThat(afterCrash.coldStart()).isTrue();
        assertThat(afterCrash.environmentId()).isNotEqualTo(first.environmentId());
        long secondPid = json(afterCrash).get("pid").asLong();

        InvocationResult timeout = invoke("misbehaving", "{\"action\":\"sleep\",\"ms\":20000}");
        assertThat(timeout.timedOut()).isTrue();
        assertThat(json(timeout).get("errorType").asText()).isEqualTo("Sandbox.Timedout");
        assertThat(json(timeout).get("errorMessage").asText()).contains("Task timed out after 2.00 seconds");
        assertThat(ProcessHandle.of(secondPid).filter(ProcessHandle::isAlive)).isEmpty();

        InvocationResult thrown = invoke("misbehaving", "{\"action\":\"throw\"}");
        assertThat(thrown.functionError()).contains("Unhandled");
        assertThat(json(thrown).get("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(thrown.coldStart()).isTrue();
        InvocationResult afterThrow = invoke("misbehaving", "{}");
        assertThat(afterThrow.environmentId()).as("a thrown exception keeps the environment")
                .isEqualTo(thrown.environmentId());

        String group = "/aws/lambda/misbehaving";
        List<String> streams = logs.streamNames(group);
        assertThat(streams).hasSize(3).allMatch(name -> name.matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST][0-9a-f]{32}"));
        List<String> messages = streams.stream().flatMap(stream -> logs.events(group, stream).stream())
                .map(LogStore.LogEvent::message).toList();
        assertThat(messages).anyMatch(line -> line.contains("Task timed out after 2.00 seconds"));
        assertThat(messages).anyMatch(line -> line.contains("Runtime exited with error: exit status 3"));
        assertThat(messages.stream().filter(line -> line.startsWith("REPORT RequestId: ")))
                .allMatch(line -> line.matches("REPORT RequestId: [0-9a-f-]{36}\tDuration: \\d+\\.\\d{2} ms\t"
                        + "Billed Duration: \\d+ ms\tMemory Size: 256 MB\tMax Memory Used: \\d+ MB\t"
                        + "(Init Duration: \\d+\\.\\d{2} ms\t)?"))
                .filteredOn(line -> line.contains("Init Duration")).hasSize(3);
    }

    @Test
    void failingInitFailsTheInvocationAndProvisionedConcurrency() throws Exception {
        createFunction("broken", 3, Map.of("MODE", "fail-init"));

        InvocationResult result = invoke("broken", "{}");
        assertThat(result.functionError()).contains("Unhandled");
        assertThat(result.payloadText()).contains("ExceptionInInitializerError");
        assertThat(lambda.environments()).as("the failed environment is discarded").isEmpty();

        lambda.publishVersion("broken", Optional.empty());
        lambda.createAlias("broken", "live", "1", Optional.empty());
        lambda.putProvisionedConcurrency("broken", "live", 1);
        LambdaService.ProvisionedConcurrencyStatus status =
                lambda.awaitProvisionedConcurrency("broken", "live", Duration.ofSeconds(60));
        assertThat(status.status())
                .isEqualTo(ProvisionedConcurrencyState.FAILED);
        assertThat(status.statusReason()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("FUNCTION_ERROR_INIT_FAILURE"));
        assertThat(lambda.environments()).isEmpty();
    }

    @Test
    void aKilledProvisionedEnvironmentIsReplaced() throws Exception {
        createFunction("provisioned", 3, Map.of());
        lambda.publishVersion("provisioned", Optional.empty());
        lambda.createAlias("provisioned", "live", "1", Optional.empty());
        lambda.putProvisionedConcurrency("provisioned", "live", 1);
        assertThat(lambda.awaitProvisionedConcurrency("provisioned", "live", Duration.ofSeconds(60)).status())
                .isEqualTo(ProvisionedConcurrencyState.READY);
        EnvironmentInfo original = lambda.environments().get(0);

        ProcessHandle.of(original.pid()).ifPresent(ProcessHandle::destroyForcibly);
        List<EnvironmentInfo> replaced = List.of();
        for (int poll = 0; poll < 300 && replaced.isEmpty(); poll++) {
            Thread.sleep(100);
            replaced = lambda.environments().stream().filter(env -> !env.id().equals(original.id())
                    && env.state() == EnvironmentState.IDLE).toList();
        }
        assertThat(replaced).hasSize(1).allSatisfy(env -> assertThat(env.initializationType())
                .isEqualTo(InitializationType.PROVISIONED_CONCURRENCY));
        assertThat(lambda.getProvisionedConcurrency("provisioned", "live").available()).isEqualTo(1);
        InvocationResult result = lambda.invoke("provisioned", Optional.of("live"),
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(result.environmentId()).isEqualTo(replaced.get(0).id());
    }
}
