package dev.initbench.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoadGeneratorTest {

    /** The HTTP client's timers work in whole milliseconds: a timeout may fire up to a millisecond or so early. */
    private static final long TIMER_TOLERANCE_NANOS = Duration.ofMillis(5).toNanos();

    @Test
    void everyRequestEndsAsExactlyOneOutcomeAndCountsAddUpToTheSchedule() throws Exception {
        everyRequestEndsAsExactlyOneOutcome(LoadGenerator.PlainHttpTransport.LEAN);
    }

    @Test
    void theJdkClientPathForHttpsEndpointsEndsEveryRequestAsExactlyOneOutcomeToo() throws Exception {
        everyRequestEndsAsExactlyOneOutcome(LoadGenerator.PlainHttpTransport.JDK);
    }

    private void everyRequestEndsAsExactlyOneOutcome(LoadGenerator.PlainHttpTransport transport) throws Exception {
        try (LoopbackServer server = new LoopbackServer()
                .route("/ok", exchange -> new LoopbackServer.Response(200, "{\"a\":1}"))
                .route("/error", exchange -> new LoopbackServer.Response(503, "busy"))
                .route("/slow", exchange -> {
                    Thread.sleep(2_000);
                    return new LoopbackServer.Response(200, "late");
                })) {
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 20, Duration.ofMillis(500))
                    .endpoint("ok", server.uri("/ok"))
                    .endpoint("error", server.uri("/error"))
                    .endpoint("slow", server.uri("/slow"))
                    .endpoint("refused", LoopbackServer.refusingUri())
                    .requestTimeout(Duration.ofMillis(1_000))
                    .build();

            LoadResult result = LoadGenerator.execute(plan, progress -> { }, transport);

            assertThat(plan.scheduledRequests()).isEqualTo(40);
            assertThat(result.records()).hasSize(40).doesNotContainNull();
            assertThat(result.outcomes("ok")).containsEntry(Outcome.SUCCESS, 10L);
            assertThat(result.outcomes("error")).containsEntry(Outcome.HTTP_ERROR, 10L);
            assertThat(result.outcomes("slow")).containsEntry(Outcome.TIMEOUT, 10L);
            assertThat(result.outcomes("refused")).containsEntry(Outcome.CONNECTION_ERROR, 10L);
            assertThat(result.records("ok")).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("{\"a\":1}");
                assertThat(r.sent()).isTrue();
            });
            assertThat(result.records("error")).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(503));
            assertThat(result.records("slow")).allSatisfy(r -> {
                assertThat(r.latencyNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(1_000).toNanos() - TIMER_TOLERANCE_NANOS);
                assertThat(r.statusCode()).isZero();
            });
            assertThat(result.records("refused")).allSatisfy(r -> assertThat(r.error()).isNotEmpty());
        }
    }

    @Test
    void allEndpointsShareOneScheduleOfIntendedTimesAcrossPhases() throws Exception {
        try (LoopbackServer server = new LoopbackServer()
                .route("/", exchange -> new LoopbackServer.Response(200, "ok"))) {
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 10, Duration.ofMillis(300))
                    .phase("burst", 40, Duration.ofMillis(100))
                    .endpoint("eager", server.uri("/eager"))
                    .endpoint("lazy", server.uri("/lazy"))
                    .build();

            LoadResult result = LoadGenerator.run(plan);

            List<RequestRecord> eager = result.records("eager");
            List<RequestRecord> lazy = result.records("lazy");
            assertThat(eager).hasSize(7).hasSameSizeAs(lazy);
            assertThat(eager.stream().map(RequestRecord::intendedSendNanos).toList())
                    .isEqualTo(lazy.stream().map(RequestRecord::intendedSendNanos).toList())
                    .containsExactly(0L, 100_000_000L, 200_000_000L,
                            300_000_000L, 325_000_000L, 350_000_000L, 375_000_000L);
            assertThat(eager.stream().map(RequestRecord::phase).toList())
                    .containsExactly("steady", "steady", "steady", "burst", "burst", "burst", "burst");
            assertThat(result.records()).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.SUCCESS));
        }
    }

    @Test
    void aStallShowsInThePercentilesBecauseLatencyCountsFromTheIntendedSendTime() throws Exception {
        AtomicInteger served = new AtomicInteger();
        try (LoopbackServer server = new LoopbackServer().route("/", exchange -> {
            if (served.incrementAndGet() == 50) {
                Thread.sleep(500);
            }
            // No body: one write per answer, so the timing does not depend on TCP_NODELAY (see LoopbackServer).
            return new LoopbackServer.Response(200, "");
        })) {
            // One request in flight at a time: while the server stalls, the following arrivals wait in the client.
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 100, Duration.ofSeconds(2))
                    .endpoint("stalling", server.uri("/"))
                    .maxInFlightPerEndpoint(1)
                    .requestTimeout(Duration.ofSeconds(5))
                    .build();

            LoadResult result = LoadGenerator.run(plan);

            assertThat(result.outcomes("stalling")).containsEntry(Outcome.SUCCESS, 200L);
            Histogram fromIntended = new Histogram(3);
            Histogram fromActualSend = new Histogram(3);
            for (RequestRecord record : result.records()) {
                fromIntended.recordValue(record.latencyNanos() / 1000);
                fromActualSend.recordValue(record.serviceTimeNanos().orElseThrow() / 1000);
            }
            // The requests due during the 500 ms stall (about 50 of 200) all carry part of it.
            assertThat(fromIntended.getMaxValue()).isGreaterThanOrEqualTo(490_000);
            assertThat(fromIntended.getValueAtPercentile(90)).isGreaterThanOrEqualTo(200_000);
            assertThat(fromIntended.getValueAtPercentile(99)).isGreaterThanOrEqualTo(400_000);
            // Measured from the actual send, only the one stalled request shows it: the omission being corrected.
            assertThat(fromActualSend.getValueAtPercentile(90)).isLessThan(100_000);
        }
    }

    @Test
    void requestsWaitingForASlotTimeOutAtTheirIntendedTimePlusTheTimeout() throws Exception {
        try (LoopbackServer server = new LoopbackServer().route("/", exchange -> {
            Thread.sleep(400);
            return new LoopbackServer.Response(200, "ok");
        })) {
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 50, Duration.ofMillis(300))
                    .endpoint("busy", server.uri("/"))
                    .maxInFlightPerEndpoint(1)
                    .requestTimeout(Duration.ofMillis(250))
                    .build();

            LoadResult result = LoadGenerator.run(plan);

            // The slot frees only when the request in it times out, so each waits behind the previous one and is
            // sent with 20 ms of its deadline left (the arrival interval: enough for a busy machine's timer lag).
            assertThat(result.records()).hasSize(15).allSatisfy(r -> {
                assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
                assertThat(r.latencyNanos()).isBetween(Duration.ofMillis(250).toNanos() - TIMER_TOLERANCE_NANOS,
                        Duration.ofMillis(1_250).toNanos());
            });
            assertThat(result.records().get(14).sendLagNanos().orElseThrow()).isGreaterThan(Duration.ofMillis(200).toNanos());
        }
    }

    @Test
    void requestsDueWhileTheClientItselfStalledPastTheirDeadlineEndAsTimeoutWithoutBeingSent() throws Exception {
        try (LoopbackServer server = new LoopbackServer()
                .route("/", exchange -> new LoopbackServer.Response(200, ""))) {
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 100, Duration.ofMillis(300))
                    .endpoint("a", server.uri("/"))
                    .requestTimeout(Duration.ofMillis(100))
                    .progressInterval(Duration.ofMillis(50))
                    .build();
            AtomicBoolean stalled = new AtomicBoolean();

            // The progress callback runs on the dispatcher thread: stalling it stalls the client's schedule.
            LoadResult result = LoadGenerator.run(plan, progress -> {
                if (stalled.compareAndSet(false, true)) {
                    sleep(300);
                }
            });

            assertThat(result.records()).hasSize(30);
            assertThat(result.records()).filteredOn(r -> !r.sent()).hasSizeGreaterThanOrEqualTo(10)
                    .allSatisfy(r -> {
                        assertThat(r.outcome()).isEqualTo(Outcome.TIMEOUT);
                        assertThat(r.error()).contains("waited for a free in-flight slot until its deadline");
                        assertThat(r.latencyNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
                    });
            assertThat(result.records().get(29).sent()).as("a request due after the stall is sent").isTrue();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void progressIsReportedDuringTheRunAndOnceFinished() throws Exception {
        try (LoopbackServer server = new LoopbackServer()
                .route("/", exchange -> new LoopbackServer.Response(200, "ok"))) {
            LoadPlan plan = LoadPlan.builder()
                    .phase("steady", 20, Duration.ofMillis(600))
                    .endpoint("a", server.uri("/"))
                    .progressInterval(Duration.ofMillis(100))
                    .build();
            List<LoadProgress> reports = new ArrayList<>();

            LoadGenerator.run(plan, reports::add);

            assertThat(reports.size()).isGreaterThanOrEqualTo(3);
            assertThat(reports).extracting(LoadProgress::phase).contains("steady");
            LoadProgress last = reports.get(reports.size() - 1);
            assertThat(last.finished()).isTrue();
            assertThat(last.outcomes()).containsEntry(Outcome.SUCCESS, 12L);
            assertThat(last.toString()).contains("done 12", "ok 12");
        }
    }

    @Test
    void sendLagIsMeasuredForEverySentRequest() throws Exception {
        try (LoopbackServer server = new LoopbackServer()
                .route("/", exchange -> new LoopbackServer.Response(200, "ok"))) {
            LoadResult result = LoadGenerator.run(LoadPlan.builder()
                    .phase("p", 50, Duration.ofMillis(200)).endpoint("a", server.uri("/")).build());

            assertThat(result.sendLagMicros().getTotalCount()).isEqualTo(10);
            assertThat(result.records()).allSatisfy(r -> assertThat(r.sendLagNanos().orElseThrow()).isNotNegative());
        }
    }

    @Test
    void invalidPlansAreRefusedWithMessagesNamingTheProblem() {
        URI uri = URI.create("http://127.0.0.1:1/");
        assertThatThrownBy(() -> LoadPlan.builder().endpoint("a", uri).build())
                .hasMessageContaining("at least one phase");
        assertThatThrownBy(() -> LoadPlan.builder().phase("p", 1, Duration.ofSeconds(1)).build())
                .hasMessageContaining("at least one endpoint");
        assertThatThrownBy(() -> LoadPlan.builder().phase("p", 0, Duration.ofSeconds(1)))
                .hasMessageContaining("arrivalRatePerSecond 0.0 is out of range");
        assertThatThrownBy(() -> LoadPlan.builder().phase("p", 1, Duration.ZERO))
                .hasMessageContaining("duration PT0S is out of range");
        assertThatThrownBy(() -> LoadPlan.builder().phase("p", 1, Duration.ofSeconds(1))
                .endpoint("a", uri).endpoint("a", uri).build())
                .hasMessageContaining("endpoint name 'a' is used twice");
        assertThatThrownBy(() -> LoadPlan.builder().phase("p", 1, Duration.ofSeconds(1)).endpoint("a", uri)
                .requestTimeout(Duration.ofMinutes(2)).build())
                .hasMessageContaining("requestTimeout PT2M is out of range");
        assertThatThrownBy(() -> LoadPlan.builder().phase("p", 1, Duration.ofSeconds(1)).endpoint("a", uri)
                .maxInFlightPerEndpoint(0).build())
                .hasMessageContaining("maxInFlightPerEndpoint 0 is out of range");
        assertThatThrownBy(() -> LoadPlan.builder().endpoint("a b", uri))
                .hasMessageContaining("endpoint name 'a b' is not valid");
        assertThatThrownBy(() -> LoadPlan.builder().endpoint("a", URI.create("ftp://x/")))
                .hasMessageContaining("not an http or https URI");
        assertThatThrownBy(() -> LoadPlan.builder().phase("p", 1_000_000, Duration.ofHours(6)).endpoint("a", uri).build())
                .hasMessageContaining("more than the 5000000 one run may hold");
    }

    @Test
    void aPhaseHoldsCeilOfRateTimesDurationArrivals() {
        assertThat(new LoadPlan.Phase("p", 10, Duration.ofSeconds(60)).arrivals()).isEqualTo(600);
        assertThat(new LoadPlan.Phase("p", 3, Duration.ofMillis(500)).arrivals()).isEqualTo(2);
        assertThat(new LoadPlan.Phase("p", 0.5, Duration.ofSeconds(1)).arrivals()).isEqualTo(1);
    }
}
