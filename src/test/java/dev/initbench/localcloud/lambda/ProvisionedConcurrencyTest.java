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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    private final FakeSsmEndpoint ssm = new FakeSsmEndpoint();
    private final LogStore logs = new LogStore();
    private final LambdaService lambda = new LambdaService(LambdaTestSupport.context(ssm.endpoint()),
            LambdaTestSupport.objects(), logs, LambdaSettings.builder().selectionSeed(7).build());
    private final List<Long> pids = new ArrayList<>();

    ProvisionedConcurrencyTest() throws Exception {
    }

    @AfterEach
    void closeLeavesNoProcess() {
        lambda.environments().forEach(env -> pids.add(env.pid()));
        lambda.close();
        ssm.close();
        LambdaTestSupport.assertNoEnvironmentProcessLeft(pids);
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
        List<Future<Timed>> burst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            burst.add(clients.submit(() -> {
                start.await();
                long begin = System.nanoTime();
                InvocationResult result = lambda.invoke("lazy", Optional.of("live"), event());
                return new Timed(result, (System.nanoTime() - begin) / 1e6);
            }));
        }
        start.countDown();
        List<Timed> results = new ArrayList<>();
        for (Future<Timed> future : burst) {
            results.add(future.get(120, TimeUnit.SECONDS));
        }
        clients.shutdown();
        lambda.environments().forEach(env -> pids.add(env.pid()));

        assertThat(results).allSatisfy(timed -> assertThat(timed.result().functionError())
                .as(timed.result().payloadText()).isEmpty());
        List<Timed> warm = results.stream().filter(timed -> !timed.result().coldStart()).toList();
        List<Timed> cold = results.stream().filter(timed -> timed.result().coldStart()).toList();
        assertThat(warm).hasSize(2).allSatisfy(timed -> assertThat(body(timed).get("initializationType").asText())
                .isEqualTo("provisioned-concurrency"));
        assertThat(cold).hasSize(1);
        assertThat(body(cold.get(0)).get("initializationType").asText()).isEqualTo("on-demand");
        double slowestWarm = warm.stream().mapToDouble(Timed::millis).max().orElseThrow();
        assertThat(cold.get(0).millis()).as("cold start vs provisioned, same run").isGreaterThan(slowestWarm);

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
                assertThat(reports.get(0)).contains("Init Duration: ");
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

    private static JsonNode body(Timed timed) throws Exception {
        return JSON.readTree(JSON.readTree(timed.result().payload()).get("body").asText());
    }

    private record Timed(InvocationResult result, double millis) {
    }
}
