package dev.initbench.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The highest arrival rate the load generator sustains on this machine against a trivial loopback endpoint while
 * keeping its schedule, next to wrk's closed-loop throughput against the same endpoint in the same run. Run:
 * {@code ./mvnw -B -o test -Dtest=LoadGeneratorBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; figures go to
 * target/benchmarks/load-generator.md.
 *
 * <p>"Keeps its schedule" means: send-time error (actual − intended send time) p99 at most
 * {@value #MAX_SEND_LAG_P99_MICROS} µs (5 % of the 100 ms interval of the default 10 arrivals/s; on a shared
 * 2-core machine scheduling alone costs milliseconds) and every request a success. The ladder climbs until the
 * achieved rate falls below 90 % of the offered one (saturation); since other processes share the machine, a rate
 * may miss while a higher one keeps it, so every row is shown and the highest kept rate reported. The machine's
 * load average is written next to the figures.
 */
@Timeout(300)
class LoadGeneratorBenchmark {

    private static final long MAX_SEND_LAG_P99_MICROS = 5_000;
    private static final int SECONDS_PER_RATE = 4;
    private static final int[] RATES = {250, 500, 1_000, 1_500, 2_000, 3_000, 4_000, 6_000, 8_000};

    @Test
    void highestArrivalRateThatKeepsTheSchedule() throws Exception {
        StringBuilder out = new StringBuilder("# Load generator benchmark\n\n");
        out.append(String.format(Locale.ROOT, "Machine: %d cores, %s %s. Endpoint: JDK HttpServer on 127.0.0.1"
                        + " answering 200 \"ok\". %d s per rate; schedule kept = send-time error p99 ≤ %d µs and no"
                        + " failures.%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), SECONDS_PER_RATE,
                MAX_SEND_LAG_P99_MICROS));
        out.append("Load average before the run (1/5/15 min): ").append(loadAverage()).append("\n\n");
        out.append("| arrival rate /s | requests | successes | achieved /s | send error p50 µs | send error p99 µs"
                + " | send error max µs | latency p50 ms | latency p99 ms | schedule kept |\n");
        out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        int sustained = 0;
        try (LoopbackServer server = new LoopbackServer()
                .route("/", exchange -> new LoopbackServer.Response(200, "ok"))) {
            // Warm the JIT and the server before measuring.
            LoadGenerator.run(plan(server, 500, 2));
            for (int rate : RATES) {
                LoadResult result = LoadGenerator.run(plan(server, rate, SECONDS_PER_RATE));
                Histogram lag = result.sendLagMicros();
                Histogram latency = new Histogram(3);
                result.records().forEach(r -> latency.recordValue(Math.max(1, r.latencyNanos() / 1000)));
                long successes = result.outcomes("trivial").get(Outcome.SUCCESS);
                double seconds = Duration.between(result.startedAt(), result.finishedAt()).toNanos() / 1e9;
                boolean kept = lag.getValueAtPercentile(99) <= MAX_SEND_LAG_P99_MICROS
                        && successes == result.records().size();
                out.append(String.format(Locale.ROOT, "| %d | %d | %d | %.0f | %d | %d | %d | %.2f | %.2f | %s |%n",
                        rate, result.records().size(), successes, successes / seconds,
                        lag.getValueAtPercentile(50), lag.getValueAtPercentile(99), lag.getMaxValue(),
                        latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
                        kept ? "yes" : "no"));
                if (kept) {
                    sustained = rate;
                }
                if (successes / seconds < 0.9 * rate) {
                    break;
                }
            }
            out.append(String.format(Locale.ROOT, "%nHighest rate with the schedule kept: **%d/s**.%n%n", sustained));

            Optional<BenchmarkFiles.WrkResult> wrk = BenchmarkFiles.wrk(server.uri("/").toString(), 16, 8);
            if (wrk.isPresent()) {
                BenchmarkFiles.WrkResult w = wrk.get();
                out.append(String.format(Locale.ROOT, "Same run, same endpoint, `%s` (closed loop: as fast as 16"
                                + " connections go; it has no arrival schedule and measures from the actual send):"
                                + " **%.0f requests/s**, latency p50 %s, p90 %s, p99 %s, max %s (%d requests).%n",
                        w.command(), w.requestsPerSecond(), w.p50(), w.p90(), w.p99(), w.max(), w.requests()));
            } else {
                out.append("wrk is not installed (`apt-get install -y wrk`): no side-by-side figure.\n");
            }
        }
        BenchmarkFiles.write("load-generator.md", out.toString());
        assertThat(sustained).as("the generator keeps the lowest rate of the ladder").isPositive();
    }

    private static String loadAverage() throws java.io.IOException {
        java.nio.file.Path loadavg = java.nio.file.Path.of("/proc/loadavg");
        return java.nio.file.Files.exists(loadavg)
                ? String.join(" ", java.util.Arrays.asList(java.nio.file.Files.readString(loadavg).split(" ")).subList(0, 3))
                : "unknown";
    }

    private static LoadPlan plan(LoopbackServer server, int rate, int seconds) {
        return LoadPlan.builder()
                .phase("rate-" + rate, rate, Duration.ofSeconds(seconds))
                .endpoint("trivial", server.uri("/"))
                .requestTimeout(Duration.ofSeconds(10))
                .maxInFlightPerEndpoint(10_000)
                .build();
    }
}
