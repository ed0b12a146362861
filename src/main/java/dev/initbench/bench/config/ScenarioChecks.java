package dev.initbench.bench.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Sizes the burst from provisioned concurrency and checks that a scenario's settings hold together, so that no
 * setting makes another budget fail falsely. Each refusal names the settings involved and values that fit.
 *
 * <ul>
 *   <li><b>Steady phases fit provisioned concurrency</b> (Little's law): a phase of rate λ whose requests take at
 *       most {@code steadyLatencyBoundMs} W keeps λ·W environments busy on average; with
 *       {@value #STEADY_HEADROOM}× headroom for bursts of arrivals that must stay within provisioned concurrency,
 *       or the steady phase sees on-demand cold starts.</li>
 *   <li><b>p99 can see the first invocations</b>: each provisioned environment serves one first invocation, so the
 *       lazy function's PC first invocations must be at least {@value #MIN_FIRST_INVOCATION_SHARE_PERCENT} % of
 *       its steady requests (twice the 1 % above p99), or its p99 lands on a warm request and the eager-vs-lazy
 *       claim fails for lack of samples, not of effect.</li>
 *   <li><b>The burst exceeds provisioned concurrency</b> by {@code burstExtraArrivals} arrivals (default
 *       {@link #defaultBurstExtraArrivals}: max(2, ⌈25 % of PC⌉)), each holding its environment {@code burstHoldMs}.
 *       All arrivals must overlap: their spread (arrivals − 1) / rate is at most half the hold. The load
 *       generator must let them all be in flight at once, and the hold must leave room within the request
 *       timeout for an on-demand cold start.</li>
 * </ul>
 */
public final class ScenarioChecks {

    /** Provisioned concurrency must cover this multiple of the steady phase's mean concurrency. */
    public static final double STEADY_HEADROOM = 1.5;
    /** The lazy function's first invocations must be at least this share of its steady requests. */
    public static final double MIN_FIRST_INVOCATION_SHARE_PERCENT = 2.0;
    /** The burst's arrivals must all arrive within this fraction of the hold. */
    public static final double MAX_BURST_SPREAD_OF_HOLD = 0.5;
    /** The hold may take at most this fraction of the request timeout (the rest is for an on-demand cold start). */
    public static final double MAX_HOLD_OF_TIMEOUT = 0.5;

    private ScenarioChecks() {
    }

    /** Arrivals beyond provisioned concurrency the burst gets by default: max(2, ⌈PC / 4⌉). */
    public static int defaultBurstExtraArrivals(int provisionedConcurrency) {
        return Math.max(2, (provisionedConcurrency + 3) / 4);
    }

    /**
     * The least provisioned concurrency a steady phase at {@code ratePerSecond} fits: its mean concurrency by
     * Little's law (rate × latency bound) times {@link #STEADY_HEADROOM}, rounded up.
     */
    public static int minimumProvisionedConcurrency(double ratePerSecond, Duration steadyLatencyBound) {
        return (int) Math.ceil(ratePerSecond * steadyLatencyBound.toNanos() / 1e9 * STEADY_HEADROOM - 1e-9);
    }

    /**
     * The shortest phase of {@code arrivals} arrivals at {@code ratePerSecond}, to the nanosecond, so that the load
     * plan's ⌈rate × duration⌉ gives exactly {@code arrivals}.
     */
    public static Duration durationOf(long arrivals, double ratePerSecond) {
        return Duration.ofNanos((long) Math.floor(arrivals * 1e9 / ratePerSecond));
    }

    /** @throws ConfigException naming the settings of the first check that fails and what would fit */
    static void check(ScenarioSettings settings) {
        int pc = settings.provisionedConcurrency();
        double boundMs = settings.steadyLatencyBound().toNanos() / 1e6;
        long steadyRequests = 0;
        for (LoadPhase phase : settings.phases()) {
            steadyRequests += phase.arrivals();
            double busy = phase.arrivalRatePerSecond() * boundMs / 1000;
            double needed = busy * STEADY_HEADROOM;
            if (needed > pc) {
                throw new ConfigException(String.format(Locale.ROOT, "steady phase '%s' does not fit provisioned"
                                + " concurrency: %s arrivals/s × %s ms per request (steadyLatencyBoundMs) keep %s"
                                + " environments busy on average (Little's law), %s with %s× headroom, more than"
                                + " provisionedConcurrency %d. Lower its arrivalRate to at most %s/s, or raise"
                                + " provisionedConcurrency to at least %d.",
                        phase.name(), plain(phase.arrivalRatePerSecond()), plain(boundMs), plain(busy),
                        plain(needed), plain(STEADY_HEADROOM), pc,
                        plain(Math.floor(pc / STEADY_HEADROOM / boundMs * 1000 * 100) / 100),
                        minimumProvisionedConcurrency(phase.arrivalRatePerSecond(), settings.steadyLatencyBound())));
            }
            if (needed > settings.maxInFlight()) {
                throw new ConfigException(String.format(Locale.ROOT, "maxInFlight %d is below the %s requests"
                                + " steady phase '%s' may have open at once (%s/s × %s ms × %s): raise maxInFlight"
                                + " to at least %d.", settings.maxInFlight(), plain(needed), phase.name(),
                        plain(phase.arrivalRatePerSecond()), plain(boundMs), plain(STEADY_HEADROOM),
                        (int) Math.ceil(needed - 1e-9)));
            }
        }
        double share = 100.0 * pc / steadyRequests;
        if (share < MIN_FIRST_INVOCATION_SHARE_PERCENT) {
            long maxRequests = (long) Math.floor(pc * 100 / MIN_FIRST_INVOCATION_SHARE_PERCENT);
            throw new ConfigException(String.format(Locale.ROOT, "the steady phases are too long for provisioned"
                            + " concurrency %d: its %d first invocations would be %s %% of the %d steady requests per"
                            + " endpoint, under the %s %% that puts the lazy function's p99 on one of them. Shorten"
                            + " the steady phases to at most %d requests (arrivalRate × durationSeconds), or raise"
                            + " provisionedConcurrency to at least %d.", pc, pc, plain(share), steadyRequests,
                    plain(MIN_FIRST_INVOCATION_SHARE_PERCENT), maxRequests,
                    (long) Math.ceil(steadyRequests * MIN_FIRST_INVOCATION_SHARE_PERCENT / 100 - 1e-9)));
        }
        checkBurst(settings);
    }

    private static void checkBurst(ScenarioSettings settings) {
        LoadPhase burst = settings.burst();
        long arrivals = burst.arrivals();
        double holdMs = burst.hold().toMillis();
        double spreadMs = (arrivals - 1) * 1000 / burst.arrivalRatePerSecond();
        if (spreadMs > holdMs * MAX_BURST_SPREAD_OF_HOLD) {
            throw new ConfigException(String.format(Locale.ROOT, "the burst's %d arrivals (provisionedConcurrency"
                            + " %d + burstExtraArrivals %d) at %s/s spread over %s ms, but each holds its"
                            + " environment only %s ms (burstHoldMs): they would not all overlap, so fewer than"
                            + " %d environments might be busy at once. Raise burstArrivalRate to at least %s/s or"
                            + " burstHoldMs to at least %d.", arrivals, settings.provisionedConcurrency(),
                    arrivals - settings.provisionedConcurrency(), plain(burst.arrivalRatePerSecond()),
                    plain(spreadMs), plain(holdMs), arrivals,
                    plain(Math.ceil((arrivals - 1) * 1000 / (holdMs * MAX_BURST_SPREAD_OF_HOLD) * 100) / 100),
                    (long) Math.ceil(spreadMs / MAX_BURST_SPREAD_OF_HOLD)));
        }
        if (arrivals > settings.maxInFlight()) {
            throw new ConfigException("maxInFlight " + settings.maxInFlight() + " is below the burst's " + arrivals
                    + " arrivals: they would wait in the load generator instead of overlapping at the functions."
                    + " Raise maxInFlight to at least " + arrivals + ".");
        }
        double timeoutMs = settings.requestTimeout().toMillis();
        if (holdMs > timeoutMs * MAX_HOLD_OF_TIMEOUT) {
            throw new ConfigException(String.format(Locale.ROOT, "burstHoldMs %s is more than half of"
                            + " requestTimeoutSeconds %s: a burst request that also waits for an on-demand cold"
                            + " start would time out. Raise requestTimeoutSeconds to at least %s or lower"
                            + " burstHoldMs to at most %s.", plain(holdMs), plain(timeoutMs / 1000),
                    plain(Math.ceil(holdMs / MAX_HOLD_OF_TIMEOUT / 1000)),
                    plain(Math.floor(timeoutMs * MAX_HOLD_OF_TIMEOUT))));
        }
    }

    private static String plain(double number) {
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return String.valueOf((long) number);
        }
        return String.format(Locale.ROOT, "%.2f", number).replaceAll("0+$", "");
    }
}
