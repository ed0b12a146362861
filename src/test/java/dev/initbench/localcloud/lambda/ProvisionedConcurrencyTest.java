package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.server.LoopbackServers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.initbench.functions.FakeSsmEndpoint;
import dev.initbench.localcloud.logs.LogStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Provisioned concurrency with the project's real lazy-init function and real runtime-client JVMs: environments
 * initialize ahead of traffic, a burst above provisioned concurrency spills over to on-demand cold starts, warm
 * environments are reused, and deleting the alias stops its environments.
 */
class ProvisionedConcurrencyTest {

    static {
        // Before the first JDK HTTP server of this JVM (the fake SSM endpoint) reads the setting.
        LoopbackServers.disableNagle();
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMETER = "/test/value";
    private static final Pattern INIT_DURATION = Pattern.compile("\tInit Duration: ([0-9.]+) ms\t");

    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder().fakeSsm()
            .settings(settings -> settings.selectionSeed(7)).build();
    private FakeSsmEndpoint ssm;
    private LogStore logs;
    private LambdaService lambda;

    @BeforeEach
    void useTheService() {
        ssm = extension.ssm();
        logs = extension.logs();
        lambda = extension.service();
    }

    @Test
    void provisionedEnvironmentsServeFirstAndBurstSpillsOverToColdStarts() throws Exception {
        ssm.answerValue(PARAMETER, "forty-two");
        // Every first invocation of the lazy function fetches the parameter: 800 ms keeps both provisioned
        // environments busy while the third request of the burst is routed.
        ssm.delayEachAnswerBy(Duration.ofMillis(800));
        lambda.createFunction(new LambdaService.FunctionSpec("lazy", "java17",
                "dev.initbench.functions.LazyInitHandler::handleRequest", 256, 30, "arn:aws:iam::123456789012:role/r",
                "", Map.of("PARAMETER_NAME", PARAMETER),
                LambdaService.Code.s3(LambdaTestSupport.BUCKET, LambdaTestSupport.FUNCTIONS_KEY)));
        lambda.publishVersion("lazy", Optional.empty());
        lambda.createAlias("lazy", "live", "1", Optional.empty());

        assertThat(lambda.putProvisionedConcurrency("lazy", "live", 2).status())
                .isEqualTo(ProvisionedConcurrencyState.IN_PROGRESS);
        LambdaService.ProvisionedConcurrencyStatus status =
                lambda.awaitProvisionedConcurrency("lazy", "live", Duration.ofSeconds(120));
        assertThat(status.status()).as(() -> status.statusReason().orElse("") + "\n"
                + LambdaTestSupport.logLines(logs, "/aws/lambda/lazy")).isEqualTo(ProvisionedConcurrencyState.READY);
        assertThat(status.available()).isEqualTo(2);
        List<EnvironmentInfo> provisioned = lambda.environments();
        assertThat(provisioned).hasSize(2).allSatisfy(env -> {
            assertThat(env.initializationType()).isEqualTo(InitializationType.PROVISIONED_CONCURRENCY);
            assertThat(env.state()).isEqualTo(EnvironmentState.IDLE);
            assertThat(env.provisionedFor()).contains("live");
            assertThat(env.invocations()).isZero();
        });
        assertThat(ssm.getParameterCalls()).as("lazy init fetches nothing during init").isZero();

        ExecutorService clients = Executors.newFixedThreadPool(3);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<InvocationResult>> burst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            burst.add(clients.submit(() -> {
                start.await();
                return lambda.invoke("lazy", Optional.of("live"), event());
            }));
        }
        start.countDown();
        List<InvocationResult> results = new ArrayList<>();
        for (Future<InvocationResult> future : burst) {
            results.add(future.get(120, TimeUnit.SECONDS));
        }
        clients.shutdown();

        // What the service recorded, not how long each request took (a busy host reorders durations): which
        // environment served each request and whether its REPORT line bills an init.
        assertThat(results).allSatisfy(result -> assertThat(result.functionError()).as(result.payloadText()).isEmpty());
        List<String> provisionedIds = provisioned.stream().map(EnvironmentInfo::id).toList();
        List<InvocationResult> warm = results.stream().filter(result -> !result.coldStart()).toList();
        List<InvocationResult> cold = results.stream().filter(InvocationResult::coldStart).toList();
        assertThat(warm).as("both provisioned environments serve first").hasSize(2)
                .extracting(InvocationResult::environmentId).containsExactlyInAnyOrderElementsOf(provisionedIds);
        for (InvocationResult result : warm) {
            assertThat(body(result).get("initializationType").asText()).isEqualTo("provisioned-concurrency");
            assertThat(reportLine(result)).as("a provisioned environment's first invocation bills no init")
                    .doesNotContain("Init Duration");
        }
        assertThat(cold).as("the burst's third request spills over").hasSize(1);
        InvocationResult spilled = cold.get(0);
        assertThat(spilled.environmentId()).isNotIn(provisionedIds);
        assertThat(lambda.environments()).filteredOn(env -> env.id().equals(spilled.environmentId())).singleElement()
                .satisfies(env -> {
                    assertThat(env.initializationType()).isEqualTo(InitializationType.ON_DEMAND);
                    assertThat(env.provisionedFor()).isEmpty();
                });
        assertThat(body(spilled).get("initializationType").asText()).isEqualTo("on-demand");
        assertThat(initDurationMs(reportLine(spilled))).as("the cold start's REPORT line bills its init")
                .isPositive();

        InvocationResult again = lambda.invoke("lazy", Optional.of("live"), event());
        JsonNode reused = JSON.readTree(JSON.readTree(again.payload()).get("body").asText());
        assertThat(reused.get("initializationType").asText()).isEqualTo("provisioned-concurrency");
        assertThat(reused.get("firstInvocation").asBoolean()).isFalse();
        assertThat(reused.get("value").asText()).isEqualTo("forty-two");
        assertThat(again.executedVersion()).isEqualTo("1");
        assertThat(ssm.getParameterCalls()).isEqualTo(3);

        String group = "/aws/lambda/lazy";
        for (EnvironmentInfo env : lambda.environments()) {
            List<String> reports = logs.events(group, env.logStreamName()).stream().map(LogStore.LogEvent::message)
                    .filter(line -> line.startsWith("REPORT ")).toList();
            assertThat(reports).isNotEmpty();
            if (env.initializationType() == InitializationType.ON_DEMAND) {
                assertThat(reports.subList(1, reports.size())).as("only the first invocation bills the init")
                        .noneMatch(line -> line.contains("Init Duration"));
            } else {
                assertThat(reports).noneMatch(line -> line.contains("Init Duration"));
            }
            assertThat(env.logStreamName()).contains("/[1]");
        }

        List<Long> provisionedPids = provisioned.stream().map(EnvironmentInfo::pid).toList();
        lambda.deleteAlias("lazy", "live");
        assertThat(provisionedPids).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(lambda.environments()).allSatisfy(env ->
                assertThat(env.initializationType()).isEqualTo(InitializationType.ON_DEMAND));
    }

    private static byte[] event() {
        return "{\"version\":\"2.0\",\"rawPath\":\"/lazy\",\"requestContext\":{\"http\":{\"method\":\"GET\"}}}"
                .getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode body(InvocationResult result) throws Exception {
        return JSON.readTree(JSON.readTree(result.payload()).get("body").asText());
    }

    /** The REPORT line of the request that produced {@code result}, from its environment's log stream. */
    private String reportLine(InvocationResult result) throws Exception {
        String requestId = body(result).get("awsRequestId").asText();
        String stream = lambda.environments().stream().filter(env -> env.id().equals(result.environmentId()))
                .map(EnvironmentInfo::logStreamName).findFirst().orElseThrow();
        return logs.events("/aws/lambda/lazy", stream).stream().map(LogStore.LogEvent::message)
                .filter(line -> line.startsWith("REPORT RequestId: " + requestId + "\t")).findFirst()
                .orElseThrow(() -> new AssertionError("no REPORT line for " + requestId + " in " + stream));
    }

    private static double initDurationMs(String reportLine) {
        Matcher init = INIT_DURATION.matcher(reportLine);
        assertThat(init.find()).as(reportLine).isTrue();
        return Double.parseDouble(init.group(1));
    }
}
