package dev.initbench.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.bench.load.LoadPlan;
import dev.initbench.bench.load.LoadResult;
import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.load.RequestRecord;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunScopesTest {

    private static final long MS = 1_000_000;

    @Test
    void peakConcurrencyCountsRequestsOpenAtTheSameMoment() {
        List<RequestRecord> records = List.of(
                record("e", "steady", 0, 0, 100),    // open 0..100 ms
                record("e", "steady", 10, 10, 50),   // open 10..60 ms
                record("e", "steady", 20, 20, 20),   // open 20..40 ms: three at once here
                record("e", "steady", 100, 100, 10)); // starts as the first ends: no overlap with it

        assertThat(RunScopes.peakConcurrency(records)).isEqualTo(3);
    }

    @Test
    void requestsThatWereNeverSentDoNotCount() {
        RequestRecord unsent = new RequestRecord("e", "steady", 0, 0, -1, 500 * MS, Outcome.TIMEOUT, 0, "", "");

        assertThat(RunScopes.peakConcurrency(List.of(unsent, record("e", "steady", 0, 0, 10)))).isEqualTo(1);
    }

    @Test
    void splitMovesEachEndpointsBurstRequestsToAnEndpointOfTheirOwn() {
        LoadPlan plan = LoadPlan.builder()
                .phase("steady", 1, Duration.ofSeconds(1))
                .phase("scale-out", 10, Duration.ofMillis(100))
                .endpoint("eager", URI.create("http://127.0.0.1:1/eager"))
                .endpoint("lazy", URI.create("http://127.0.0.1:1/lazy"))
                .build();
        LoadResult result = new LoadResult(plan, Instant.EPOCH, Instant.EPOCH.plusSeconds(2), List.of(
                record("eager", "steady", 0, 0, 5), record("lazy", "steady", 0, 0, 5),
                record("eager", "scale-out", 1000, 1000, 5), record("lazy", "scale-out", 1000, 1000, 5)));

        LoadResult split = RunScopes.split(result, "scale-out");

        assertThat(split.plan().endpoints()).extracting(LoadPlan.Endpoint::name)
                .containsExactly("eager", "lazy", "eager.scale-out", "lazy.scale-out");
        assertThat(split.records("eager")).singleElement().extracting(RequestRecord::phase).isEqualTo("steady");
        assertThat(split.records("lazy.scale-out")).singleElement().extracting(RequestRecord::phase)
                .isEqualTo("scale-out");
        assertThat(split.records()).hasSize(4);
        assertThat(split.plan().endpoints().get(2).uri()).isEqualTo(URI.create("http://127.0.0.1:1/eager"));
    }

    private static RequestRecord record(String endpoint, String phase, long intendedMs, long sentMs, long latencyMs) {
        return new RequestRecord(endpoint, phase, intendedMs, intendedMs * MS, sentMs * MS, latencyMs * MS,
                Outcome.SUCCESS, 200, "{}", "");
    }
}
