package dev.initbench.bench.load;

import java.time.Duration;
import java.util.Map;

/**
 * A snapshot of a running load, passed to the progress callback every {@link LoadPlan#progressInterval()} and
 * once at the end.
 *
 * @param phase     the phase being scheduled ("" once the schedule is done and the last answers are awaited)
 * @param elapsed   time since the run started
 * @param schedule  the plan's schedule duration
 * @param scheduled requests whose intended time has come
 * @param total     requests the plan schedules
 * @param completed requests with an outcome
 * @param inFlight  requests sent and not yet answered
 * @param waiting   requests due but waiting for an in-flight slot
 * @param outcomes  completed requests by outcome
 */
public record LoadProgress(String phase, Duration elapsed, Duration schedule, long scheduled, long total,
                           long completed, long inFlight, long waiting, Map<Outcome, Long> outcomes) {

    public LoadProgress {
        outcomes = Map.copyOf(outcomes);
    }

    /** Whether every scheduled request has an outcome. */
    public boolean finished() {
        return completed == total;
    }

    /** One line for a console progress display. */
    @Override
    public String toString() {
        return String.format("%s %5.1fs/%ss sent %d/%d done %d in-flight %d waiting %d ok %d http-err %d timeout %d conn-err %d",
                phase.isEmpty() ? "(draining)" : phase, elapsed.toMillis() / 1000.0, schedule.toSeconds(), scheduled,
                total, completed, inFlight, waiting, outcomes.getOrDefault(Outcome.SUCCESS, 0L),
                outcomes.getOrDefault(Outcome.HTTP_ERROR, 0L), outcomes.getOrDefault(Outcome.TIMEOUT, 0L),
                outcomes.getOrDefault(Outcome.CONNECTION_ERROR, 0L));
    }
}
