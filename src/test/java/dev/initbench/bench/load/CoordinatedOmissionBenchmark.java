package dev.initbench.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proof of coordinated-omission correction: a server that stalls completely for {@value #STALL_MILLIS} ms, once,
 * {@value #STALL_AFTER_MILLIS} ms into a {@value #RUN_SECONDS} s run. An open-model client measuring from intended
 * send times must show the stall in its percentiles: the requests due during the stall (stall / run = 10 %) wait
 * between 0 and the stall, so p99 ≈ 0.9 × stall and max ≈ stall. wrk (closed loop, measuring from the actual send)
 * runs against an identical server in the same run for contrast. Run:
 * {@code ./mvnw -B -o test -Dtest=CoordinatedOmissionBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; figures go
 * to target/benchmarks/coordinated-omission.md.
 */
@Timeout(120)
class CoordinatedOmissionBenchmark {

    private static final long STALL_MILLIS = 1_000;
    private static final long STALL_AFTER_MILLIS = 4_000;
    private static final int RUN_SECONDS = 10;
    private static final int RATE = 200;

    /** Every request that arrives during the stall window is held until the window ends, as in a full GC pause. */
    private static final class StallingEndpoint implements LoopbackServer.Handler {
        private final long stallStart = System.nanoTime() + Duration.ofMillis(STALL_AFTER_MILLIS).toNanos();
        private final long stallEnd = stallStart + Duration.ofMillis(STALL_MILLIS).toNanos();

        @Override
        public LoopbackServer.Response handle(HttpExchange exchange) throws InterruptedException {
            long now = System.nanoTime();
            if (now >= stallStart && now < stallEnd) {
                Thread.sleep((stallEnd - now) / 1_000_000, (int) ((stallEnd - now) % 1_000_000));
            }
            return new LoopbackServer.Response(200, "ok");
        }
    }

    @Test
    void aServerStallShowsInThePercentiles() throws Exception {
        StringBuilder out = new StringBuilder("# Coordinated-omission benchmark\n\n");
        out.append(String.format(Locale.ROOT, "The server stalls once for %d ms, %d ms into a %d s run. Expected for"
                        + " an open-model client: p99 ≈ %d ms, max ≈ %d ms.%n%n", STALL_MILLIS, STALL_AFTER_MILLIS,
                RUN_SECONDS, (long) (STALL_MILLIS * (1 - 0.01 * RUN_SECONDS * 1000.0 / STALL_MILLIS)), STALL_MILLIS));
        out.append("| client | requests | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|\n");
        Histogram[] unbounded = measure(10_000);
        row(out, "lambda-init-bench, " + RATE + "/s, unbounded in flight, from intended send", unbounded[0]);
        row(out, "same run, from actual send", unbounded[1]);
        // Four in flight, like wrk's four connections: during the stall the arrivals wait in the client.
        Histogram[] bounded = measure(4);
        row(out, "lambda-init-bench, " + RATE + "/s, 4 in flight, from intended send", bounded[0]);
        row(out, "same run, from actual send (what an uncorrected client reports)", bounded[1]);
        Histogram fromIntended = bounded[0];
        try (LoopbackServer server = new LoopbackServer().route("/", new StallingEndpoint())) {
            Optional<BenchmarkFiles.WrkResult> wrk = BenchmarkFiles.wrk(server.uri("/").toString(), 4, RUN_SECONDS);
            if (wrk.isPresent()) {
                BenchmarkFiles.WrkResult w = wrk.get();
                out.append(String.format(Locale.ROOT, "| `%s` (closed loop) | %d | %s | %s | %s | | %s |%n",
                        w.command(), w.requests(), w.p50(), w.p90(), w.p99(), w.max()));
            } else {
                out.append("| wrk not installed (`apt-get install -y wrk`) | | | | | | |\n");
            }
        }
        out.append("\nwrk's latency units are its own (us/ms/s). A closed-loop client sends nothing while its"
                + " connections wait, so raw, the stall is a handful of slow requests among many fast ones; wrk 4.x"
                + " back-fills synthetic samples after the run (stats_correct, from the mean per-connection interval),"
                + " which is why its p99 shows the stall. lambda-init-bench instead measures every request from its"
                + " intended send time.\n");
        BenchmarkFiles.write("coordinated-omission.md", out.toString());
        assertThat(fromIntended.getMaxValue()).isGreaterThanOrEqualTo(STALL_MILLIS * 900);
        assertThat(fromIntended.getValueAtPercentile(99)).isGreaterThanOrEqualTo(STALL_MILLIS * 700);
    }

    /** Latencies from intended send and from actual send, µs, of one open-model run against a fresh server. */
    private static Histogram[] measure(int maxInFlight) throws Exception {
        try (LoopbackServer server = new LoopbackServer().route("/", new StallingEndpoint())) {
            LoadResult result = LoadGenerator.run(LoadPlan.builder()
                    .phase("steady", RATE, Duration.ofSeconds(RUN_SECONDS))
                    .endpoint("stalling", server.uri("/"))
                    .maxInFlightPerEndpoint(maxInFlight)
                    .requestTimeout(Duration.ofSeconds(10))
                    .build());
            Histogram fromIntended = new Histogram(3);
            Histogram fromActualSend = new Histogram(3);
            for (RequestRecord record : result.records()) {
                fromIntended.recordValue(record.latencyNanos() / 1000);
                fromActualSend.recordValue(record.serviceTimeNanos().orElseThrow() / 1000);
            }
            return new Histogram[]{fromIntended, fromActualSend};
        }
    }

    private static void row(StringBuilder out, String client, Histogram micros) {
        out.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n", client,
                micros.getTotalCount(), micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(90) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0));
    }
}
