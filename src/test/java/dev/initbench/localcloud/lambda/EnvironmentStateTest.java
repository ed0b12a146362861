package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvironmentStateTest {

    @Test
    void theLifecycleOnlyMovesForwardAndEndsForGood() {
        assertThat(EnvironmentState.STARTING.next()).containsExactlyInAnyOrder(EnvironmentState.INITIALIZING,
                EnvironmentState.STOPPED, EnvironmentState.FAILED);
        assertThat(EnvironmentState.INITIALIZING.next()).contains(EnvironmentState.IDLE, EnvironmentState.BUSY);
        assertThat(EnvironmentState.IDLE.next()).containsExactlyInAnyOrder(EnvironmentState.BUSY,
                EnvironmentState.STOPPED, EnvironmentState.FAILED);
        assertThat(EnvironmentState.BUSY.next()).containsExactlyInAnyOrder(EnvironmentState.IDLE,
                EnvironmentState.STOPPED, EnvironmentState.FAILED);
        for (EnvironmentState state : EnvironmentState.values()) {
            assertThat(state.next()).as(state + " never goes back to starting").doesNotContain(
                    EnvironmentState.STARTING);
            if (state != EnvironmentState.STARTING) {
                assertThat(state.next()).as("only a starting environment begins init")
                        .doesNotContain(EnvironmentState.INITIALIZING);
            }
            assertThat(state.terminal()).isEqualTo(state.next().isEmpty());
        }
    }
}
