package dev.initbench.bench.load;

/** How a scheduled request ended. Every scheduled request ends as exactly one of these. */
public enum Outcome {
    /** The endpoint answered with a 2xx status. */
    SUCCESS,
    /** The endpoint answered with a status outside 2xx. */
    HTTP_ERROR,
    /**
     * No answer within the request timeout, counted from the request's intended send time: either the exchange
     * took too long, or the request waited for a free in-flight slot until its deadline passed and was never sent.
     */
    TIMEOUT,
    /** The connection could not be opened or broke before a complete answer (refused, reset, closed). */
    CONNECTION_ERROR
}
