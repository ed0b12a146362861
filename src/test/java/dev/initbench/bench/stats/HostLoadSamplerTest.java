package dev.initbench.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sampler against a stand-in /proc directory. Its period is an hour, so only the readings at start and stop
 * happen: what it reports follows from the files alone, whatever the machine's speed.
 */
class HostLoadSamplerTest {

    private static final Duration NEVER_DURING_THE_TEST = Duration.ofHours(1);

    @Test
    void readsTheCountersAtStartAndStopAndSumsThemUp(@TempDir Path proc) throws Exception {
        Files.writeString(proc.resolve("stat"), "cpu  100 0 0 300 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0\n"
                + "cpu1 0 0 0 0 0 0 0 0\ncpu2 0 0 0 0 0 0 0 0\ncpu3 0 0 0 0 0 0 0 0\n");
        Files.writeString(proc.resolve("loadavg"), "0.25 0.20 0.10 1/200 4242\n");
        Instant origin;
        HostLoad host;
        try (HostLoadSampler sampler = HostLoadSampler.start(HostLoad.Role.BENCHMARK_HOST, proc,
                NEVER_DURING_THE_TEST, 10)) {
            origin = Instant.now();
            // 400 ticks over 4 CPUs, 300 busy: 3 busy cores.
            Files.writeString(proc.resolve("stat"), "cpu  400 0 0 400 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0\n"
                    + "cpu1 0 0 0 0 0 0 0 0\ncpu2 0 0 0 0 0 0 0 0\ncpu3 0 0 0 0 0 0 0 0\n");
            Files.writeString(proc.resolve("loadavg"), "3.50 1.00 0.50 6/210 4250\n");
            host = sampler.stop(origin, List.of(new HostLoad.PhaseStart("steady", 0)));
        }

        assertThat(host.role()).isEqualTo(HostLoad.Role.BENCHMARK_HOST);
        assertThat(host.cores()).isEqualTo(4);
        assertThat(host.seconds()).singleElement().satisfies(second -> {
            assertThat(second.busyCores()).isCloseTo(3.0, within(1e-9));
            assertThat(second.idlePercent()).isCloseTo(25.0, within(1e-9));
            assertThat(second.runningThreads()).isEqualTo(6);
            assertThat(second.startSeconds()).isLessThanOrEqualTo(0.0);
        });
        assertThat(host.loadAverageBefore()).isEqualTo(0.25);
        assertThat(host.loadAverageAfter()).isEqualTo(3.50);
        assertThat(host.phases()).singleElement().extracting(HostLoad.PhaseLoad::intervals).isEqualTo(1);
    }

    @Test
    void aHostWithoutProcIsNotMeasuredSayingWhy(@TempDir Path empty) throws Exception {
        HostLoad host;
        try (HostLoadSampler sampler = HostLoadSampler.start(HostLoad.Role.CLIENT_HOST, empty.resolve("proc"),
                NEVER_DURING_THE_TEST, 10)) {
            host = sampler.stop(Instant.now(), List.of());
        }

        assertThat(host.measured()).isFalse();
        assertThat(host.summary()).startsWith("not measured: ").contains("proc/stat").endsWith("needs Linux's /proc");
    }

    @Test
    void anIntervalOrBoundThatCannotWorkIsRefused(@TempDir Path proc) {
        assertThatThrownBy(() -> HostLoadSampler.start(HostLoad.Role.CLIENT_HOST, proc, Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval > 0");
        assertThatThrownBy(() -> HostLoadSampler.start(HostLoad.Role.CLIENT_HOST, proc, Duration.ofSeconds(1), 1))
                .hasMessageContaining("at least two readings");
    }
}
