package dev.initbench.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostMemoryRefusalTest {

    /** As the local cloud writes it (HostMemoryDiagnostics). */
    private static final String THROTTLED = "HOSTMEMORY Refused\tType: on-demand\tAvailable: 1100 MB\t"
            + "Starting: 300 MB\tNeeded: 150 MB\tFloor: 1024 MB\t";

    @Test
    void readsAThrottledOnDemandStart() {
        HostMemoryRefusal refusal = HostMemoryRefusal.parse(THROTTLED).orElseThrow();

        assertThat(refusal).isEqualTo(new HostMemoryRefusal("on-demand", 1100, 300, 150, 1024));
        assertThat(refusal.throttledInvocation()).isTrue();
    }

    @Test
    void aRefusedProvisionedStartIsNotAThrottledInvocation() {
        assertThat(HostMemoryRefusal.parse(THROTTLED.replace("on-demand", "provisioned-concurrency")).orElseThrow()
                .throttledInvocation()).isFalse();
    }

    @Test
    void otherLinesAreNotRefusals() {
        assertThat(HostMemoryRefusal.parse("HOSTCPU Init\tType: on-demand\tCPU: 1.0 ms\t")).isEmpty();
        assertThat(HostMemoryRefusal.parse("REPORT RequestId: x")).isEmpty();
        assertThat(HostMemoryRefusal.parse(null)).isEmpty();
    }

    @Test
    void aMalformedLineIsAnErrorNamingTheField() {
        assertThatThrownBy(() -> HostMemoryRefusal.parse("HOSTMEMORY Refused\tType: on-demand\tAvailable: 1 MB\t"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without Starting");
        assertThatThrownBy(() -> HostMemoryRefusal.parse(THROTTLED.replace("Floor: 1024 MB", "Floor: 1 GB")))
                .hasMessageContaining("Floor is not in MB");
    }
}
