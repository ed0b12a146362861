package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.invoke.InvocationThrottledException;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.RestJsonBinding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host memory guard in the Lambda service, on a faked memory reading, with real runtime-client JVMs. */
class HostMemoryGuardServiceTest {

    private static final String GROUP = "/aws/lambda/guarded";

    private final AtomicLong availableMb = new AtomicLong(8_000);
    private final AtomicInteger readings = new AtomicInteger();
    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder()
            .settings(settings -> settings.provisioningParallelism(1))
            .memoryReading(() -> {
                readings.incrementAndGet();
                return OptionalLong.of(availableMb.get());
            }).build();
    private LambdaService lambda;
    private LogStore logs;

    @BeforeEach
    void createFunction() {
        lambda = extension.service();
        logs = extension.logs();
        lambda.createFunction(LambdaTestSupport.misbehavingFunction("guarded", "java17", 5, Map.of()));
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
        assertThat(extension.environmentPids()).isEmpty();
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
        assertThat(extension.environmentPids()).as("the one that fitted was started").isNotEmpty();
        assertThat(lambda.environments()).as("the environment that had started is stopped").isEmpty();
        assertThat(readings).as("a FAILED configuration starts nothing more").hasValue(2);
        assertThat(lambda.pool().startingMemoryMb()).isZero();
        assertThat(LambdaTestSupport.logLines(logs, GROUP)).contains("HOSTMEMORY Refused\tType: provisioned-concurrency");
        LambdaTestSupport.assertNoEnvironmentProcessLeft(extension.environmentPids());
    }

    private static byte[] payload() {
        return "{}".getBytes(StandardCharsets.UTF_8);
    }
}
