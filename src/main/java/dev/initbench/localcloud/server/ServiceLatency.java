package dev.initbench.localcloud.server;

import java.time.Duration;
import java.util.Objects;

/**
 * What the network and the service add to an execution environment's AWS call on AWS and not on this loopback
 * endpoint: the endpoint answers a request signed with an environment's session credentials no sooner than
 * {@link #perRequest()} after it arrived, plus {@link #newConnection()} for the first request on a connection. It
 * applies to every environment's every call alike (whatever the function or service); the caller's own key (the
 * benchmark, the CLI) is never delayed. While the environment is frozen, an answer that becomes due is held like any
 * other ({@link dev.initbench.localcloud.credentials.CallerSession}), so freezing, not the model, decides which
 * invocation pays it.
 *
 * <p>On AWS a function's first call goes to an HTTPS regional endpoint: a DNS lookup, TCP and TLS handshakes (two
 * to three round trips plus the handshake's cryptography on the function's CPU share), then the request's round trip
 * and the service's own time; later calls reuse the connection. Locally it is plain HTTP on loopback answered in
 * about 2 ms. AWS publishes none of these figures, so {@link #ASSUMED_AWS} is an assumption, not a measurement.
 *
 * @param perRequest    least time from a request's arrival to its answer (round trip plus service time)
 * @param newConnection added to the first request on a connection (DNS, TCP and TLS handshakes)
 */
public record ServiceLatency(Duration perRequest, Duration newConnection) {

    /** Longest delay either figure may be: beyond this it would be a fault, not a latency. */
    public static final Duration MAX = Duration.ofSeconds(10);

    /** No model: answers as soon as they are ready. */
    public static final ServiceLatency NONE = new ServiceLatency(Duration.ZERO, Duration.ZERO);

    /**
     * The default, an assumption (no AWS source gives the figures): 10 ms per request for an in-Region round trip
     * plus the service's time, 10 ms more on a new connection for DNS, TCP and TLS. So a function's first call
     * costs about 20 ms more than locally without it, and a call on a reused connection 10 ms.
     */
    public static final ServiceLatency ASSUMED_AWS = new ServiceLatency(Duration.ofMillis(10), Duration.ofMillis(10));

    public ServiceLatency {
        check("perRequest", perRequest);
        check("newConnection", newConnection);
    }

    /** From whole milliseconds, e.g. of a command-line option. */
    public static ServiceLatency ofMillis(long perRequestMs, long newConnectionMs) {
        return new ServiceLatency(Duration.ofMillis(perRequestMs), Duration.ofMillis(newConnectionMs));
    }

    /** The delay owed to a request: per request, plus the connection's setup on its first request. */
    public Duration delayFor(boolean firstOnConnection) {
        return firstOnConnection ? perRequest.plus(newConnection) : perRequest;
    }

    private static void check(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("service latency " + name + " must be from 0 to " + MAX.toMillis()
                    + " ms, got " + value.toMillis() + " ms");
        }
    }
}
