package dev.initbench.localcloud.lambda;

import static dev.initbench.localcloud.lambda.LambdaTestSupport.BUCKET;
import static dev.initbench.localcloud.lambda.LambdaTestSupport.MISBEHAVING_HANDLER;
import static dev.initbench.localcloud.lambda.LambdaTestSupport.MISBEHAVING_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.invoke.InvocationThrottledException;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.RestJsonBinding;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host memory guard in the Lambda service, on a faked memory reading, with real runtime-client JVMs. */
class HostMemoryGuardServiceTest {

    private static final String GROUP = "/aws/lambda/guarded";

    private final LogStore logs = new LogStore();
    private final AtomicLong availableMb = new AtomicLong(8_000);
    private final AtomicInteger readings = new AtomicInteger();
    private final LambdaService lambda = new LambdaService(LambdaTestSupport.context(URI.create("http://127.0.0.1:9")),
            LambdaTestSupport.objects(), logs, LambdaSettings.builder().provisioningParallelism(1).build(), () -> {
                readings.incrementAndGet();
                return OptionalLong.of(availableMb.get());
            });
    private final List<Long> pids = new CopyOnWriteArrayList<>();

    HostMemoryGuardServiceTest() {
        lambda.createFunction(new LambdaService.FunctionSpec("guarded", "java17", MISBEHAVING_HANDLER, 256, 5,
                "arn:aws:iam::123456789012:role/test", "", Map.of(), LambdaService.Code.s3(BUCKET, MISBEHAVING_KEY)));
        lambda.pool().addListener(transition -> {
            if (transition.environment() != null) {
                pids.add(transition.environment().pid());
            }
        });
    }

    @AfterEach
    void closeLeavesNoProcess() {
        lambda.environments().forEach(env -> pids.add(env.pid()));
        lambda.close();
        LambdaTestSupport.assertNoEnvironmentProcessLeft(pids);
    }

    @Test
    void aColdStartTheHostCannotHoldIsThrottledAndSaysWhyInTheFunctionsLog() {
        availableMb.set(1_100);

        assertThatThrownBy(() -> lambda.invoke("guarded", Optional.empty(), payload()))
                .isInstanceOfSatisfying(InvocationThrottledException.class, throttled -> {
                    assertThat(throttled.throttleCause()).isEqualTo(InvocationThrottledException.Cause.HOST_MEMORY);
                    assertThat(throttled.httpStatus()).isEqualTo(429);
                    assertThat(throttled.errorCode()).isEqualTo("TooManyRequestsException");
                })
                .hasMessageContaining("the local cloud throttled this invocation")
                .hasMessageContaining("1100 MB available").hasMessageContaining("needs 150 MB")
                .hasMessageContaining("1024 MB are kept free").hasMessageContaining("AWS has no such limit");

        assertThat(lambda.environments()).as("nothing started").isEmpty();
        assertThat(pids).isEmpty();
        assertThat(lambda.pool().inFlight()).as("the concurrency unit is returned").isZero();
        assertThat(lambda.pool().startingMemoryMb()).isZero();
        assertThat(LambdaTestSupport.logLines(logs, GROUP)).contains("HOSTMEMORY Refused\tType: on-demand\t"
                + "Available: 1100 MB\tStarting: 0 MB\tNeeded: 150 MB\tFloor: 1024 MB\t");
    }

    @Test
    void anAsynchronousInvocationIsThrottledAtOnceAsAboveTheConcurrencyLimit() {
        availableMb.set(1_000);

        assertThatThrownBy(() -> lambda.invokeAsync("guarded", Optional.empty(), payload()))
                .isInstanceOf(InvocationThrottledException.class).isNotInstanceOf(CompletionException.class);
        assertThat(lambda.pool().inFlight()).isZero();
    }

    @Test
    void onTheWireTheThrottleIsLambdasTooManyRequestsWithAReasonOfItsModel() {
        InvocationThrottledException throttled = new InvocationThrottledException(
                InvocationThrottledException.Cause.HOST_MEMORY, "Rate Exceeded: the host's memory");

        AwsResponse response = new RestJsonBinding(lambda.controlPlane()).renderError(throttled, "POST", "r-1");

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.headers()).containsEntry("x-amzn-ErrorType", "TooManyRequestsException");
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("\"Message\":\"Rate Exceeded: the host's memory\"")
                .contains("\"Reason\":\"ConcurrentInvocationLimitExceeded\"");
    }

    @Test
    void aColdStartThatFitsRunsAndReleasesItsPromiseOnceInitialized() {
        assertThat(lambda.invoke("guarded", Optional.empty(), payload()).functionError()).isEmpty();

        assertThat(readings).hasValue(1);
        assertThat(lambda.pool().startingMemoryMb()).isZero();
        assertThat(lambda.environments()).hasSize(1);
    }

    @Test
    void aProvisionedStartTheHostCannotHoldFailsTheConfigurationAndLeavesNothingRunning() {
        lambda.publishVersion("guarded", Optional.empty());
        lambda.createAlias("guarded", "live", "1", Optional.empty());
        // The first environment fits; once it has started, the host "has" too little for the second.
        availableMb.set(1_200);
        lambda.pool().addListener(transition -> {
            if (transition.to() == EnvironmentState.INITIALIZING) {
                availableMb.set(1_100);
            }
        });

        lambda.putProvisionedConcurrency("guarded", "live", 3);
        LambdaService.ProvisionedConcurrencyStatus status =
                lambda.awaitProvisionedConcurrency("guarded", "live", Duration.ofSeconds(60));

        assertThat(status.status()).isEqualTo(ProvisionedConcurrencyState.FAILED);
        assertThat(status.statusReason().orElseThrow())
                .startsWith("The local cloud could not start a provisioned environment: this host's memory cannot"
                        + " hold another execution environment: 1100 MB available")
                .contains("AWS has no such limit");
        assertThat(pids).as("the one that fitted was started").isNotEmpty();
        assertThat(lambda.environments()).as("the environment that had started is stopped").isEmpty();
        assertThat(readings).as("a FAILED configuration starts nothing more").hasValue(2);
        assertThat(lambda.pool().startingMemoryMb()).isZero();
        assertThat(LambdaTestSupport.logLines(logs, GROUP)).contains("HOSTMEMORY Refused\tType: provisioned-concurrency");
        LambdaTestSupport.assertNoEnvironmentProcessLeft(pids);
    }

    private static byte[] payload() {
        return "{}".getBytes(StandardCharsets.UTF_8);
    }
}
