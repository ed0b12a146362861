package dev.initbench.bench.load;

import java.util.Optional;

/**
 * One scheduled request and how it ended. Times are nanoseconds from the run's start ({@link LoadResult#startedAt()}).
 *
 * @param endpoint          the endpoint's name in the plan
 * @param phase             the phase that scheduled it
 * @param arrival           0-based index of its arrival over the whole run (shared by all endpoints' requests of
 *                          that arrival)
 * @param intendedSendNanos when the schedule meant to send it
 * @param actualSendNanos   when it was handed to the HTTP client; -1 when it was never sent (it waited for an
 *                          in-flight slot until its deadline passed)
 * @param latencyNanos      from the intended send time to the outcome: what a user arriving on schedule would see
 * @param outcome           how it ended
 * @param statusCode        the HTTP status, 0 when there was no answer
 * @param body              the response body (at most {@link LoadGenerator#MAX_BODY_CHARS} characters), "" when none
 * @param error             why it failed without an answer (exception class and message), "" otherwise
 */
public record RequestRecord(String endpoint, String phase, long arrival, long intendedSendNanos,
                            long actualSendNanos, long latencyNanos, Outcome outcome, int statusCode, String body,
                            String error) {

    /** Whether the request was handed to the HTTP client at all. */
    public boolean sent() {
        return actualSendNanos >= 0;
    }

    /** How late the client sent it compared with its schedule; empty when it was never sent. */
    public Optional<Long> sendLagNanos() {
        return sent() ? Optional.of(actualSendNanos - intendedSendNanos) : Optional.empty();
    }

    /** From the actual send to the outcome: the latency a closed-loop tool would report (hides queueing). */
    public Optional<Long> serviceTimeNanos() {
        return sent() ? Optional.of(intendedSendNanos + latencyNanos - actualSendNanos) : Optional.empty();
    }
}
