package dev.initbench.bench.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.load.RequestRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointRecorderTest {

    /** A body shaped like the functions' responses. */
    static String body(String environment, String initType, long invocation, double setupMs, String requestId) {
        return """
                {"function":"lazy-init","parameterName":"/p","value":"v","initializationType":"%s",\
                "environmentId":"%s","logStreamName":"2026/11/28/[$LATEST]abc","awsRequestId":"%s",\
                "invocation":%d,"firstInvocation":%s,"setupPhase":"invocation","initDurationMs":12.5,\
                "clientBuildMs":100.0,"fetchDurationMs":50.0,"setupInThisInvocationMs":%s}"""
                .formatted(initType, environment, requestId, invocation, invocation == 1, setupMs);
    }

    static RequestRecord success(String endpoint, long arrival, double latencyMs, String body) {
        return new RequestRecord(endpoint, "steady", arrival, arrival * 100_000_000L, arrival * 100_000_000L + 10_000,
                (long) (latencyMs * 1_000_000), Outcome.SUCCESS, 200, body, "");
    }

    static RequestRecord failure(String endpoint, long arrival, double latencyMs, Outcome outcome, int status) {
        return new RequestRecord(endpoint, "steady", arrival, arrival * 100_000_000L, arrival * 100_000_000L + 10_000,
                (long) (latencyMs * 1_000_000), outcome, status, "", outcome == Outcome.HTTP_ERROR ? "" : "boom");
    }

    @Test
    void attributesLatencyToEnvironmentsInitTypesAndFirstInvocations() {
        EndpointRecorder recorder = new EndpointRecorder("lazy");
        // Two provisioned environments and one on-demand (spillover) environment; first invocations pay setup.
        recorder.record(success("lazy", 0, 180, body("pc-1", "provisioned-concurrency", 1, 150, "r0")));
        recorder.record(success("lazy", 1, 170, body("pc-2", "provisioned-concurrency", 1, 140, "r1")));
        recorder.record(success("lazy", 2, 900, body("od-1", "on-demand", 1, 160, "r2")));
        for (int i = 3; i < 20; i++) {
            recorder.record(success("lazy", i, 10 + i, body(i % 2 == 0 ? "pc-1" : "pc-2", "provisioned-concurrency",
                    i, 0, "r" + i)));
        }
        recorder.record(success("lazy", 20, 5, "not json"));
        recorder.record(failure("lazy", 21, 3_000, Outcome.TIMEOUT, 0));
        recorder.record(failure("lazy", 22, 40, Outcome.HTTP_ERROR, 502));
        recorder.record(failure("lazy", 23, 1, Outcome.CONNECTION_ERROR, 0));

        EndpointSummary summary = recorder.summary();

        assertThat(summary.requests()).isEqualTo(24);
        assertThat(summary.outcomes()).containsEntry(Outcome.SUCCESS, 21L).containsEntry(Outcome.TIMEOUT, 1L)
                .containsEntry(Outcome.HTTP_ERROR, 1L).containsEntry(Outcome.CONNECTION_ERROR, 1L);
        assertThat(summary.errors()).isEqualTo(3);
        assertThat(summary.all().count()).isEqualTo(24);
        assertThat(summary.all().maxMs()).isBetween(2_990.0, 3_010.0);
        assertThat(summary.successes().count()).isEqualTo(21);
        assertThat(summary.successes().maxMs()).isBetween(899.0, 901.0);
        assertThat(summary.firstInvocations().count()).isEqualTo(3);
        assertThat(summary.firstInvocations().p50Ms()).isBetween(179.0, 181.0);
        assertThat(summary.laterInvocations().count()).isEqualTo(17);
        assertThat(summary.laterInvocations().maxMs()).isBetween(28.9, 29.1);

        Attribution attribution = summary.attribution();
        assertThat(attribution.environmentsTouched()).isEqualTo(3);
        assertThat(attribution.environmentsByInitType())
                .containsEntry("provisioned-concurrency", 2L).containsEntry("on-demand", 1L);
        assertThat(attribution.requestsByInitType())
                .containsEntry("provisioned-concurrency", 19L).containsEntry("on-demand", 1L);
        assertThat(attribution.onDemandColdStarts()).isEqualTo(1);
        assertThat(attribution.firstInvocations()).isEqualTo(3);
        assertThat(attribution.firstInvocationsWithSetup()).isEqualTo(3);
        assertThat(attribution.laterInvocationsWithSetup()).isZero();
        assertThat(attribution.meanSetupInFirstInvocationMs()).isEqualTo(150.0);
        assertThat(attribution.maxSetupInFirstInvocationMs()).isEqualTo(160.0);
        assertThat(attribution.meanInitDurationMs()).isEqualTo(12.5);
        assertThat(attribution.responsesWithoutFacts()).isEqualTo(1);

        assertThat(recorder.responses()).hasSize(20);
        assertThat(recorder.timeline()).hasSize(24);
        assertThat(recorder.timeline()).filteredOn(TimelinePoint::firstInvocation).hasSize(3)
                .extracting(TimelinePoint::secondsFromStart).containsExactly(0.0, 0.1, 0.2);
    }

    @Test
    void contentionOfTheFirstSecondsCountsOnlyTheRequestsIntendedThen() {
        EndpointRecorder recorder = new EndpointRecorder("lazy");
        List<String> hostCpu = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {  // arrival i is intended at i × 100 ms
            recorder.record(success("lazy", i, 10, body("pc-1", "provisioned-concurrency", i + 1, 0, "r" + i)));
            hostCpu.add("HOSTCPU RequestId: r" + i + "\tCPU: " + (i + 1) + ".0 ms\tCPU Wait: 0.0 ms\tWall: 9.0 ms"
                    + "\tFrozen: 0.0 ms\t");
        }

        CpuContention.Share firstSecond = recorder.contentionOfTheFirst(1.0, hostCpu).all();

        assertThat(firstSecond.requests()).isEqualTo(10);
        assertThat(firstSecond.cpuSumMs()).isEqualTo(55.0);  // 1 + 2 + … + 10
        assertThat(recorder.contention(hostCpu).all().requests()).isEqualTo(20);
    }

    @Test
    void eagerFirstInvocationsCarryNoSetup() {
        EndpointRecorder recorder = new EndpointRecorder("eager");
        recorder.record(success("eager", 0, 20, body("pc-1", "provisioned-concurrency", 1, 0, "a")));
        recorder.record(success("eager", 1, 15, body("pc-1", "provisioned-concurrency", 2, 0, "b")));

        Attribution attribution = recorder.summary().attribution();

        assertThat(attribution.firstInvocations()).isEqualTo(1);
        assertThat(attribution.firstInvocationsWithSetup()).isZero();
        assertThat(attribution.onDemandColdStarts()).isZero();
    }

    @Test
    void latenciesBeyondTheTrackedRangeAreClampedNotLost() {
        EndpointRecorder recorder = new EndpointRecorder("a");
        recorder.record(failure("a", 0, 70_000, Outcome.TIMEOUT, 0));
        recorder.record(failure("a", 1, 0.0001, Outcome.CONNECTION_ERROR, 0));

        assertThat(recorder.allLatencies().getTotalCount()).isEqualTo(2);
        assertThat(recorder.summary().all().maxMs()).isBetween(59_900.0, 60_100.0);
    }

    @Test
    void refusesRecordsOfAnotherEndpoint() {
        EndpointRecorder recorder = new EndpointRecorder("eager");
        assertThatThrownBy(() -> recorder.record(failure("lazy", 0, 1, Outcome.TIMEOUT, 0)))
                .hasMessageContaining("record of endpoint 'lazy' given to the recorder of 'eager'");
    }

    @Test
    void histogramsSurviveEncodingAndCorruptEncodingsAreNamed() {
        EndpointRecorder recorder = new EndpointRecorder("a");
        for (int i = 0; i < 100; i++) {
            recorder.record(success("a", i, 1 + i, "{}"));
        }
        String encoded = LatencyHistograms.encode(recorder.allLatencies());

        assertThat(LatencyHistograms.decode(encoded)).isEqualTo(recorder.allLatencies());
        assertThatThrownBy(() -> LatencyHistograms.decode("%%%"))
                .hasMessageContaining("histogram is not valid base64");
        assertThatThrownBy(() -> LatencyHistograms.decode("AAAAAAAAAAAA"))
                .hasMessageContaining("not a valid HdrHistogram compressed encoding");
        assertThatThrownBy(() -> LatencyHistograms.decode(""))
                .hasMessageContaining("histogram is missing");
    }
}
