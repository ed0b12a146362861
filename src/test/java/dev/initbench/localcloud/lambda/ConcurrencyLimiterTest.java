package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.invoke.InvocationThrottledException;
import org.junit.jupiter.api.Test;

class ConcurrencyLimiterTest {

    @Test
    void throttlesAboveTheLimitAndAPermitReturnsOnce() {
        ConcurrencyLimiter limiter = new ConcurrencyLimiter(2);
        ConcurrencyLimiter.Permit first = limiter.acquire();
        ConcurrencyLimiter.Permit second = limiter.acquire();
        assertThatThrownBy(limiter::acquire).isInstanceOf(InvocationThrottledException.class)
                .hasMessage("Rate Exceeded.")
                .satisfies(e -> assertThat(((InvocationThrottledException) e).errorCode())
                        .isEqualTo("TooManyRequestsException"));
        first.close();
        first.close();
        assertThat(limiter.inFlight()).isEqualTo(1);
        limiter.acquire().close();
        second.close();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new ConcurrencyLimiter(0)).hasMessageContaining("at least 1");
    }
}
