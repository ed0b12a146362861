package dev.initbench.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link LoadGenerator} sends: an open-model schedule of phases, each a constant arrival rate for a duration,
 * applied to every endpoint at the same intended times. Immutable; build with {@link #builder()}.
 *
 * <p>Arrival {@code j} of a phase is intended at {@code phaseStart + j / arrivalRatePerSecond}; a phase of rate
 * {@code r} and duration {@code d} seconds holds {@code ceil(r * d)} arrivals. Each arrival sends one request to
 * every endpoint at that same intended time, so all endpoints see the same offered load at the same moments.
 */
public final class LoadPlan {

    /** Upper bound on requests in one plan: keeps a run's memory (one record per request) and duration bounded. */
    public static final long MAX_REQUESTS = 5_000_000;
    /** Upper bound on the request timeout: the latency histograms track values up to 60 s. */
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** Upper bound on one phase's duration. */
    public static final Duration MAX_PHASE_DURATION = Duration.ofHours(6);
    /** Upper bound on one phase's arrival rate. */
    public static final double MAX_ARRIVAL_RATE = 1_000_000;

    /**
     * One constant-rate phase of the schedule.
     *
     * @param query a URL query appended to every endpoint's URI during this phase ("" for none), e.g. a request
     *              parameter the functions act on
     */
    public record Phase(String name, double arrivalRatePerSecond, Duration duration, String query) {
        public Phase {
            requireName(name, "phase name");
            Objects.requireNonNull(query, "phase query");
            if (query.startsWith("?") || query.chars().anyMatch(c -> c <= ' ' || c == '#' || c > 126)) {
                throw new IllegalArgumentException("phase '" + name + "': query '" + query + "' is not valid: give"
                        + " name=value pairs joined by '&', URL-encoded, without a leading '?'");
            }
            Objects.requireNonNull(duration, "phase duration");
            if (!(arrivalRatePerSecond > 0 && arrivalRatePerSecond <= MAX_ARRIVAL_RATE)) {
                throw new IllegalArgumentException("phase '" + name + "': arrivalRatePerSecond " + arrivalRatePerSecond
                        + " is out of range: use a rate above 0 and at most " + (long) MAX_ARRIVAL_RATE + " per second");
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_PHASE_DURATION) > 0) {
                throw new IllegalArgumentException("phase '" + name + "': duration " + duration
                        + " is out of range: use a duration above 0 and at most " + MAX_PHASE_DURATION);
            }
        }

        public Phase(String name, double arrivalRatePerSecond, Duration duration) {
            this(name, arrivalRatePerSecond, duration, "");
        }

        /** The URI a request of this phase goes to. */
        URI uriFor(Endpoint endpoint) {
            if (query.isEmpty()) {
                return endpoint.uri();
            }
            String base = endpoint.uri().toString();
            return URI.create(base + (endpoint.uri().getRawQuery() == null ? "?" : "&") + query);
        }

        /** Number of arrivals this phase schedules: {@code ceil(rate * seconds)}. */
        public long arrivals() {
            double exact = arrivalRatePerSecond * duration.toNanos() / 1e9;
            return (long) Math.ceil(exact - 1e-9);
        }

        /** Offset of arrival {@code index} from the phase start, in nanoseconds. */
        long arrivalOffsetNanos(long index) {
            return Math.round(index * 1e9 / arrivalRatePerSecond);
        }
    }

    /** A named endpoint the plan drives, e.g. {@code eager -> https://…/eager}. */
    public record Endpoint(String name, URI uri) {
        public Endpoint {
            requireName(name, "endpoint name");
            Objects.requireNonNull(uri, "endpoint uri");
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("endpoint '" + name + "': uri " + uri
                        + " is not an http or https URI");
            }
        }
    }

    private final List<Phase> phases;
    private final List<Endpoint> endpoints;
    private final Duration requestTimeout;
    private final int maxInFlightPerEndpoint;
    private final Duration progressInterval;

    private LoadPlan(Builder builder) {
        this.phases = List.copyOf(builder.phases);
        this.endpoints = List.copyOf(builder.endpoints);
        this.requestTimeout = builder.requestTimeout;
        this.maxInFlightPerEndpoint = builder.maxInFlightPerEndpoint;
        this.progressInterval = builder.progressInterval;
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("a load plan needs at least one phase: add one with phase(name, rate, duration)");
        }
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a load plan needs at least one endpoint: add one with endpoint(name, uri)");
        }
        requireUnique(phases.stream().map(Phase::name).toList(), "phase");
        requireUnique(endpoints.stream().map(Endpoint::name).toList(), "endpoint");
        if (requestTimeout.isNegative() || requestTimeout.isZero() || requestTimeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            throw new IllegalArgumentException("requestTimeout " + requestTimeout
                    + " is out of range: use a timeout above 0 and at most " + MAX_REQUEST_TIMEOUT);
        }
        if (maxInFlightPerEndpoint < 1 || maxInFlightPerEndpoint > 100_000) {
            throw new IllegalArgumentException("maxInFlightPerEndpoint " + maxInFlightPerEndpoint
                    + " is out of range: use 1 to 100000");
        }
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("progressInterval " + progressInterval + " must be positive");
        }
        if (scheduledRequests() > MAX_REQUESTS) {
            throw new IllegalArgumentException("the plan schedules " + scheduledRequests() + " requests, more than the "
                    + MAX_REQUESTS + " one run may hold: lower the rates or durations");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.phases.addAll(phases);
        builder.endpoints.addAll(endpoints);
        builder.requestTimeout = requestTimeout;
        builder.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
        builder.progressInterval = progressInterval;
        return builder;
    }

    public List<Phase> phases() {
        return phases;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** The deadline of each request, counted from its intended send time. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How many requests may be outstanding per endpoint; further arrivals wait (see {@link LoadGenerator}). */
    public int maxInFlightPerEndpoint() {
        return maxInFlightPerEndpoint;
    }

    /** How often the progress callback is called during a run. */
    public Duration progressInterval() {
        return progressInterval;
    }

    /** Arrivals over all phases (each sends one request per endpoint). */
    public long scheduledArrivals() {
        return phases.stream().mapToLong(Phase::arrivals).sum();
    }

    /** Requests over all phases and endpoints: the number every run's outcome counts add up to. */
    public long scheduledRequests() {
        return scheduledArrivals() * endpoints.size();
    }

    /** Sum of the phase durations. */
    public Duration scheduleDuration() {
        return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * The longest a run of this plan can take: the schedule, then the last requests' timeout, plus a margin for
     * the client to report them. A run never takes longer; what is not finished by then ends as TIMEOUT.
     */
    public Duration maximumRunTime() {
        return scheduleDuration().plus(requestTimeout).plus(LoadGenerator.COMPLETION_MARGIN);
    }

    @Override
    public String toString() {
        return "LoadPlan{phases=" + phases + ", endpoints=" + endpoints + ", requestTimeout=" + requestTimeout
                + ", maxInFlightPerEndpoint=" + maxInFlightPerEndpoint + "}";
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(what + " '" + name
                    + "' is not valid: use letters, digits, '.', '_' or '-' (it names files and report entries)");
        }
    }

    private static void requireUnique(List<String> names, String what) {
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException(what + " name '" + name + "' is used twice: names must be unique");
            }
        }
    }

    /** Builds a {@link LoadPlan}; defaults: request timeout 10 s, 256 in flight per endpoint, progress every 1 s. */
    public static final class Builder {
        private final List<Phase> phases = new ArrayList<>();
        private final List<Endpoint> endpoints = new ArrayList<>();
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int maxInFlightPerEndpoint = 256;
        private Duration progressInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        public Builder phase(String name, double arrivalRatePerSecond, Duration duration) {
            phases.add(new Phase(name, arrivalRatePerSecond, duration));
            return this;
        }

        /** A phase whose requests carry {@code query} on every endpoint's URI. */
        public Builder phase(String name, double arrivalRatePerSecond, Duration duration, String query) {
            phases.add(new Phase(name, arrivalRatePerSecond, duration, query));
            return this;
        }

        public Builder phases(List<Phase> phases) {
            this.phases.clear();
            this.phases.addAll(phases);
            return this;
        }

        public Builder endpoint(String name, URI uri) {
            endpoints.add(new Endpoint(name, uri));
            return this;
        }

        public Builder endpoints(List<Endpoint> endpoints) {
            this.endpoints.clear();
            this.endpoints.addAll(endpoints);
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public Builder maxInFlightPerEndpoint(int maxInFlightPerEndpoint) {
            this.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
            return this;
        }

        public Builder progressInterval(Duration progressInterval) {
            this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
            return this;
        }

        public LoadPlan build() {
            return new LoadPlan(this);
        }
    }
}
