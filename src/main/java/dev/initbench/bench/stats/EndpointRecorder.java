package dev.initbench.bench.stats;

import dev.initbench.bench.load.Outcome;
import dev.initbench.bench.load.RequestRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Records one endpoint's requests: latency histograms (see {@link LatencyHistograms}), outcome counts, the facts of
 * every 2xx response, and a latency-over-time series. Thread-safe: {@link #record} may be called from the load
 * generator's completion threads.
 */
public final class EndpointRecorder {

    private final String endpoint;
    private final Histogram all = LatencyHistograms.newHistogram();
    private final Histogram successes = LatencyHistograms.newHistogram();
    private final Histogram firstInvocations = LatencyHistograms.newHistogram();
    private final Histogram laterInvocations = LatencyHistograms.newHistogram();
    private final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
    private final Map<String, ResponseFacts> firstFactsByEnvironment = new TreeMap<>();
    private final Map<String, Long> requestsByInitType = new TreeMap<>();
    private final List<ResponseFacts> responses = new ArrayList<>();
    private final List<CpuContention.Answered> answered = new ArrayList<>();
    private final List<TimelinePoint> timeline = new ArrayList<>();
    private long firstInvocationCount;
    private long firstInvocationsWithSetup;
    private long laterInvocationsWithSetup;
    private double setupInFirstInvocationsSumMs;
    private double setupInFirstInvocationsMaxMs;
    private long responsesWithoutFacts;

    public EndpointRecorder(String endpoint) {
        this.endpoint = endpoint;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, 0L);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    /** Records one request of this endpoint; fails when the record belongs to another endpoint. */
    public synchronized void record(RequestRecord record) {
        if (!record.endpoint().equals(endpoint)) {
            throw new IllegalArgumentException("record of endpoint '" + record.endpoint()
                    + "' given to the recorder of '" + endpoint + "'");
        }
        outcomes.merge(record.outcome(), 1L, Long::sum);
        LatencyHistograms.recordNanos(all, record.latencyNanos());
        boolean first = false;
        if (record.outcome() == Outcome.SUCCESS) {
            LatencyHistograms.recordNanos(successes, record.latencyNanos());
            var facts = ResponseFacts.parse(record.body());
            if (facts.isPresent()) {
                first = attribute(facts.get(), record.latencyNanos(), record.intendedSendNanos() / 1e9);
            } else {
                responsesWithoutFacts++;
            }
        }
        timeline.add(new TimelinePoint(record.intendedSendNanos() / 1e9, record.latencyNanos() / 1e6,
                record.outcome(), first));
    }

    private boolean attribute(ResponseFacts facts, long latencyNanos, double sentAtSeconds) {
        responses.add(facts);
        if (!facts.awsRequestId().isEmpty()) {
            answered.add(new CpuContention.Answered(facts.awsRequestId(), facts.firstInvocation(), latencyNanos / 1e6,
                    sentAtSeconds));
        }
        requestsByInitType.merge(facts.initializationType(), 1L, Long::sum);
        firstFactsByEnvironment.putIfAbsent(facts.environmentId(), facts);
        if (facts.firstInvocation()) {
            firstInvocationCount++;
            LatencyHistograms.recordNanos(firstInvocations, latencyNanos);
            setupInFirstInvocationsSumMs += facts.setupInThisInvocationMs();
            setupInFirstInvocationsMaxMs = Math.max(setupInFirstInvocationsMaxMs, facts.setupInThisInvocationMs());
            if (facts.setupInThisInvocationMs() > 0) {
                firstInvocationsWithSetup++;
            }
        } else {
            LatencyHistograms.recordNanos(laterInvocations, latencyNanos);
            if (facts.setupInThisInvocationMs() > 0) {
                laterInvocationsWithSetup++;
            }
        }
        return facts.firstInvocation();
    }

    public synchronized EndpointSummary summary() {
        long requests = outcomes.values().stream().mapToLong(Long::longValue).sum();
        return new EndpointSummary(endpoint, requests, outcomes, LatencyPercentiles.ofMicros(all),
                LatencyPercentiles.ofMicros(successes), LatencyPercentiles.ofMicros(firstInvocations),
                LatencyPercentiles.ofMicros(laterInvocations), attribution());
    }

    private Attribution attribution() {
        Map<String, Long> environmentsByInitType = new TreeMap<>();
        double initSum = 0;
        for (ResponseFacts facts : firstFactsByEnvironment.values()) {
            environmentsByInitType.merge(facts.initializationType(), 1L, Long::sum);
            initSum += facts.initDurationMs();
        }
        int environments = firstFactsByEnvironment.size();
        return new Attribution(environments, environmentsByInitType, requestsByInitType,
                environmentsByInitType.getOrDefault(ResponseFacts.ON_DEMAND, 0L), firstInvocationCount,
                firstInvocationsWithSetup, laterInvocationsWithSetup,
                firstInvocationCount == 0 ? 0 : setupInFirstInvocationsSumMs / firstInvocationCount,
                setupInFirstInvocationsMaxMs, environments == 0 ? 0 : initSum / environments, responsesWithoutFacts);
    }

    /** Latencies (µs) of all requests, from their intended send times. A copy. */
    public synchronized Histogram allLatencies() {
        return all.copy();
    }

    /** Latencies (µs) of 2xx requests. A copy. */
    public synchronized Histogram successLatencies() {
        return successes.copy();
    }

    /** The facts of every attributable 2xx response, in completion order. */
    public synchronized List<ResponseFacts> responses() {
        return List.copyOf(responses);
    }

    /** Every request as a point on the latency-over-time chart, in completion order. */
    public synchronized List<TimelinePoint> timeline() {
        return List.copyOf(timeline);
    }

    /**
     * Reconciles this endpoint's responses with the REPORT lines of its function's log (other lines are ignored).
     */
    public ReportReconciliation reconcile(List<String> logLines) {
        return ReportReconciliation.reconcile(responses(), ReportLine.parseAll(logLines));
    }

    /**
     * The share of this endpoint's latency spent waiting for a CPU of the host, from the HOSTCPU lines among its
     * function's log lines (other lines are ignored), matched to its responses by request id.
     */
    public synchronized CpuContention contention(List<String> logLines) {
        return CpuContention.measure(List.copyOf(answered), HostCpuLine.parseAll(logLines));
    }

    /** As {@link #contention}, for the requests intended to be sent in the load's first {@code seconds} only. */
    public synchronized CpuContention contentionOfTheFirst(double seconds, List<String> logLines) {
        return CpuContention.measure(answered.stream().filter(request -> request.sentAtSeconds() < seconds).toList(),
                HostCpuLine.parseAll(logLines));
    }
}
