package dev.initbench.bench.load;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything a run produced: one {@link RequestRecord} per scheduled request (ordered by arrival, then by the
 * plan's endpoint order), so the outcome counts of each endpoint add up to its scheduled requests.
 *
 * @param plan       the plan that was run
 * @param startedAt  wall-clock time of the run's time origin (record times are offsets from it)
 * @param finishedAt wall-clock time the last outcome was recorded
 * @param records    one record per scheduled request
 */
public record LoadResult(LoadPlan plan, Instant startedAt, Instant finishedAt, List<RequestRecord> records) {

    public LoadResult {
        records = List.copyOf(records);
    }

    /** The records of one endpoint. */
    public List<RequestRecord> records(String endpoint) {
        return records.stream().filter(r -> r.endpoint().equals(endpoint)).toList();
    }

    /** Outcome counts of one endpoint (every outcome present, zero when none). */
    public Map<Outcome, Long> outcomes(String endpoint) {
        Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0L);
        }
        for (RequestRecord record : records) {
            if (record.endpoint().equals(endpoint)) {
                counts.merge(record.outcome(), 1L, Long::sum);
            }
        }
        return counts;
    }

    /**
     * How late the generator sent requests compared with the schedule, in microseconds, over all sent requests:
     * the generator keeps its schedule as long as this stays small against the arrival interval.
     */
    public Histogram sendLagMicros() {
        Histogram histogram = new Histogram(1, LoadPlan.MAX_REQUEST_TIMEOUT.toNanos() / 1000, 3);
        for (RequestRecord record : records) {
            record.sendLagNanos().ifPresent(lag -> histogram.recordValue(
                    Math.max(1, Math.min(histogram.getHighestTrackableValue(), lag / 1000))));
        }
        return histogram;
    }
}
