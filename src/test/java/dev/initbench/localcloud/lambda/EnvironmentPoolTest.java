package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.invoke.InvocationThrottledException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Leasing and the lifecycle state machine, with real runtime-client JVMs. */
class EnvironmentPoolTest {

    @RegisterExtension
    final LambdaServiceExtension extension = LambdaServiceExtension.builder()
            .settings(settings -> settings.concurrencyLimit(1)).build();
    private final List<EnvironmentPool.Transition> transitions = new CopyOnWriteArrayList<>();
    private LambdaService lambda;
    private FunctionVersion function;

    @BeforeEach
    void createFunction() {
        lambda = extension.service();
        function = lambda.createFunction(LambdaTestSupport.misbehavingFunction("pooled", "java17", 5, Map.of()));
        lambda.pool().addListener(transitions::add);
    }

    private InvocationResult invoke() {
        return lambda.invoke("pooled", Optional.empty(), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private ExecutionEnvironment.Invoked leaseAndThrow() {
        return lambda.pool().withLease(function, Optional.empty(), lambda.preparedRuntime("java17"),
                (environment, coldStart) -> {
                    throw new IllegalStateException("unexpected, between lease and release");
                });
    }

    @Test
    void aColdStartGoesThroughTheStatesAndReturnsItsLease() {
        InvocationResult result = invoke();

        assertThat(result.functionError()).isEmpty();
        assertThat(transitions).extracting(t -> t.from() + ">" + t.to())
                .containsExactly("STARTING>INITIALIZING", "INITIALIZING>BUSY", "BUSY>IDLE");
        assertThat(lambda.environments()).singleElement()
                .satisfies(env -> assertThat(env.state()).isEqualTo(EnvironmentState.IDLE));
        assertThat(lambda.pool().inFlight()).isZero();
    }

    @Test
    void anUnexpectedExceptionOnAWarmLeaseDoesNotLeaveTheEnvironmentBusy() {
        String warm = invoke().environmentId();

        assertThatThrownBy(this::leaseAndThrow).hasMessageContaining("between lease and release");

        assertThat(lambda.pool().inFlight()).as("the concurrency unit is returned").isZero();
        assertThat(lambda.environments()).as("the environment in an unknown state is ended, not left BUSY")
                .noneMatch(env -> env.state() == EnvironmentState.BUSY).noneMatch(env -> env.id().equals(warm));
        assertThat(transitions).filteredOn(t -> t.environment().id().equals(warm)).last()
                .satisfies(t -> {
                    assertThat(t.from()).isEqualTo(EnvironmentState.BUSY);
                    assertThat(t.to()).isEqualTo(EnvironmentState.FAILED);
                    assertThat(t.reason()).hasValueSatisfying(reason -> assertThat(reason)
                            .contains("unexpected exception"));
                });
        InvocationResult next = invoke();
        assertThat(next.functionError()).isEmpty();
        assertThat(next.coldStart()).isTrue();
    }

    @Test
    void anUnexpectedExceptionOnAColdStartDoesNotLeaveTheEnvironmentBusy() {
        assertThatThrownBy(this::leaseAndThrow).isInstanceOf(IllegalStateException.class);

        assertThat(lambda.pool().inFlight()).isZero();
        assertThat(lambda.environments()).isEmpty();
        assertThat(transitions).extracting(t -> t.from() + ">" + t.to())
                .containsExactly("STARTING>INITIALIZING", "INITIALIZING>BUSY", "BUSY>FAILED");
    }

    @Test
    void aSecondInvocationAboveTheLimitIsThrottledWhileTheFirstHoldsItsLease() throws Exception {
        CountDownLatch leased = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<ExecutionEnvironment.Invoked> holder = CompletableFuture.supplyAsync(() ->
                lambda.pool().withLease(function, Optional.empty(), lambda.preparedRuntime("java17"),
                        (environment, coldStart) -> {
                            leased.countDown();
                            try {
                                finish.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return environment.invoke("{}".getBytes(StandardCharsets.UTF_8), "arn", coldStart);
                        }));
        assertThat(leased.await(60, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(this::invoke).isInstanceOf(InvocationThrottledException.class);
        assertThat(lambda.environments()).singleElement()
                .satisfies(env -> assertThat(env.state()).isEqualTo(EnvironmentState.BUSY));

        finish.countDown();
        assertThat(holder.get(60, TimeUnit.SECONDS).result().functionError()).isEmpty();
        assertThat(lambda.environments()).singleElement()
                .satisfies(env -> assertThat(env.state()).isEqualTo(EnvironmentState.IDLE));
    }
}
