package dev.initbench.bench.run;

import java.util.List;
import java.util.Locale;

/**
 * The CPU a local scenario needs in its first seconds against the cores of this host, estimated before the first
 * request from what the provisioned environments used while they initialized (their HOSTCPU Init lines).
 *
 * <p>Model: over a window of {@code windowSeconds} at {@code arrivalRate} per endpoint, random selection among
 * {@code provisionedConcurrency} environments reaches N·(1 − (1 − 1/N)^(r·W)) distinct environments, each paying
 * its first invocation once; every request also costs {@link #WARM_CPU_MS_PER_REQUEST} of host CPU (the
 * environment's warm invocation plus the local cloud's routing and the load generator, all on this host). The
 * caller gives each endpoint's first-invocation CPU: lazy's does the work eager did at init, so eager's measured
 * init CPU beyond lazy's is its proxy; eager's costs a warm request. The demand must stay within {@code cores × window × }{@link #MAX_UTILISATION}.
 *
 * @param provisionedConcurrency   environments per function
 * @param arrivalRate              arrivals per second at each endpoint
 * @param firstInvocationCpuMs     per endpoint, the CPU of one environment's first invocation
 * @param cores                    this host's available processors
 * @param windowSeconds            the first seconds looked at
 */
public record CapacityEstimate(int provisionedConcurrency, double arrivalRate, List<Double> firstInvocationCpuMs,
                               int cores, double windowSeconds) {

    /** Host CPU per warm request, all processes of this host together (an assumption; see the class comment). */
    public static final double WARM_CPU_MS_PER_REQUEST = 10;
    /**
     * Share of the cores the demand may fill. Measured: a scenario estimated at 96 % of 80 % (PC 12, 8/s, 2 cores)
     * ran invalid (lazy 65 % CPU wait): the first invocations arrive together, their slowness raises concurrency
     * into on-demand cold starts (more JVMs), so waits grow long before the cores are full on average.
     */
    public static final double MAX_UTILISATION = 0.5;
    /** The first seconds of the load, when every provisioned environment gets its first invocation. */
    public static final double DEFAULT_WINDOW_SECONDS = 5;

    public CapacityEstimate {
        firstInvocationCpuMs = List.copyOf(firstInvocationCpuMs);
        if (provisionedConcurrency < 1 || arrivalRate <= 0 || cores < 1 || windowSeconds <= 0) {
            throw new IllegalArgumentException("capacity estimate needs provisioned concurrency >= 1, arrival rate > 0,"
                    + " cores >= 1 and a window > 0; got " + provisionedConcurrency + ", " + arrivalRate + ", " + cores
                    + ", " + windowSeconds);
        }
    }

    /** Expected distinct environments of N reached by {@code arrivals} requests each picking one at random. */
    static double distinctEnvironments(int environments, double arrivals) {
        return environments * (1 - Math.pow(1 - 1.0 / environments, arrivals));
    }

    /** CPU ms the scenario needs within the window. */
    public double demandCpuMs() {
        return demand(provisionedConcurrency, arrivalRate);
    }

    private double demand(int environments, double rate) {
        double arrivals = rate * windowSeconds;
        double first = distinctEnvironments(environments, arrivals);
        return firstInvocationCpuMs.stream()
                .mapToDouble(cpu -> first * cpu + arrivals * WARM_CPU_MS_PER_REQUEST).sum();
    }

    /** CPU ms this host offers within the window at {@link #MAX_UTILISATION}. */
    public double capacityCpuMs() {
        return cores * windowSeconds * 1000 * MAX_UTILISATION;
    }

    public boolean fits() {
        return demandCpuMs() <= capacityCpuMs();
    }

    /** The largest provisioned concurrency (at this arrival rate) that fits; 0 when none does. */
    public int largestProvisionedConcurrencyThatFits() {
        for (int n = provisionedConcurrency; n >= 1; n--) {
            if (demand(n, arrivalRate) <= capacityCpuMs()) {
                return n;
            }
        }
        return 0;
    }

    /** The largest arrival rate (at this provisioned concurrency, to 0.1/s) that fits; 0 when none does. */
    public double largestArrivalRateThatFits() {
        double low = 0;
        double high = arrivalRate;
        if (demand(provisionedConcurrency, high) <= capacityCpuMs()) {
            return high;
        }
        while (high - low > 0.01) {
            double mid = (low + high) / 2;
            if (demand(provisionedConcurrency, mid) <= capacityCpuMs()) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return Math.floor(low * 10) / 10;
    }

    /** The estimate, the cores and what would fit, in one sentence. */
    public String describe() {
        return String.format(Locale.ROOT, "capacity estimate: the first %.0f s need %.1f CPU-s (%d endpoints, %.1f of"
                        + " %d environments each reached at %s/s, first invocations %s ms CPU, %.0f ms per warm request)"
                        + " against %.1f CPU-s of %d cores at %.0f %%: %s", windowSeconds, demandCpuMs() / 1000,
                firstInvocationCpuMs.size(), distinctEnvironments(provisionedConcurrency, arrivalRate * windowSeconds),
                provisionedConcurrency, number(arrivalRate), firstInvocationCpuMs.stream()
                        .map(ms -> String.format(Locale.ROOT, "%.0f", ms)).toList(), WARM_CPU_MS_PER_REQUEST,
                capacityCpuMs() / 1000, cores, 100 * MAX_UTILISATION,
                fits() ? "fits" : "would saturate the host; largest that fit: provisioned concurrency "
                        + largestProvisionedConcurrencyThatFits() + " at " + number(arrivalRate) + "/s, or "
                        + number(largestArrivalRateThatFits()) + "/s at provisioned concurrency " + provisionedConcurrency);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
