package dev.initbench.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CapacityCheckTest {

    @Test
    void theEstimateIsShownBesideTheHostsAndTheInvocationsCpu() {
        assertThat(new CapacityCheck(5, 2, 2.9, 5.0, 4.4, 3.1).summary()).isEqualTo("capacity estimate 2.9 CPU-s for"
                + " the first 5 s (allowed 5.0 CPU-s of 2 cores); actual: host busy 4.4 CPU-s (1.52× the estimate), the"
                + " functions' invocations 3.1 CPU-s (HOSTCPU)");
    }

    @Test
    void aFullHostIsSaidToBeAFloorNotTheDemand() {
        assertThat(new CapacityCheck(5, 2, 2.9, 5.0, 10.0, null).summary()).isEqualTo("capacity estimate 2.9 CPU-s for"
                + " the first 5 s (allowed 5.0 CPU-s of 2 cores); actual: host busy 10.0 CPU-s (3.45× the estimate),"
                + " all its cores: the demand was at least that");
    }

    @Test
    void anUnmeasuredHostSaysSo() {
        assertThat(new CapacityCheck(2.5, 4, 1.0, 5.0, null, null).summary())
                .endsWith("for the first 2.5 s (allowed 5.0 CPU-s of 4 cores); actual: host CPU not measured");
    }
}
