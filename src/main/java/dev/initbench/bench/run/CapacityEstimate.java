package dev.initbench.bench.run;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The CPU a local scenario needs in its first seconds against the cores of this host, estimated before the first
 * request from what the provisioned environments used while they initialized (their HOSTCPU Init lines).
 *
 * <p>Model: over a window of {@code windowSeconds} at {@code arrivalRate} per endpoint, random selection among
 * {@code provisionedConcurrency} environments reaches N·(1 − (1 − 1/N)^(r·W)) distinct environments, each paying
 * its first invocation once ({@link FirstInvocationCost}: a warm request, or the work its strategy defers); every
 * request also costs {@link #WARM_CPU_MS_PER_REQUEST} of host CPU (the environment's warm invocation plus the local
 * cloud's routing and the load generator, all on this host). The demand must stay within
 * {@code cores × window × maxCpuShare}.
 *
 * @param provisionedConcurrency        environments per function
 * @param minimumProvisionedConcurrency the least provisioned concurrency the steady phase admits at this arrival
 *                                      rate (Little's law with headroom, as {@code ScenarioChecks} demands), so
 *                                      what is offered as fitting is also a valid scenario
 * @param arrivalRate                   arrivals per second at each endpoint
 * @param firstInvocations              per endpoint, the CPU of one environment's first invocation
 * @param cores                         the processors counted
 * @param windowSeconds                 the first seconds looked at
 * @param maxCpuShare                   share (0..1] of the cores' time the demand may fill
 */
public record CapacityEstimate(int provisionedConcurrency, int minimumProvisionedConcurrency, double arrivalRate,
                               List<FirstInvocationCost> firstInvocations, int cores, double windowSeconds,
                               double maxCpuShare) {

    /** Host CPU per warm request, all processes of this host together (an assumption; see the class comment). */
    public static final double WARM_CPU_MS_PER_REQUEST = 10;
    /**
     * The first seconds of the load, when the first invocations bunch: each takes about a second of CPU, so what
     * saturates the host is how many overlap, not their total over a longer span (calibrated with
     * {@link dev.initbench.bench.config.SaturationSettings#DEFAULT_CAPACITY_CPU_SHARE} on 10 measured runs; a 5 s window
     * admitted PC 6 at 3/s, which ran invalid, and refused PC 12 to 20 at 2/s, which ran valid).
     */
    public static final double DEFAULT_WINDOW_SECONDS = 2;
    /**
     * Fewest cores any scenario fits: on one core a first invocation's own JIT-compiler and GC threads take the core
     * its request runs on, and every run measured pinned to one core (PC 3 to 6, 0.5 to 2 arrivals/s) was invalid.
     */
    public static final int MIN_CORES = 2;

    public CapacityEstimate {
        firstInvocations = List.copyOf(firstInvocations);
        if (provisionedConcurrency < 1 || minimumProvisionedConcurrency < 0 || arrivalRate <= 0 || cores < 1
                || windowSeconds <= 0 || !(maxCpuShare > 0 && maxCpuShare <= 1) || firstInvocations.isEmpty()) {
            throw new IllegalArgumentException("capacity estimate needs provisioned concurrency >= 1, a minimum >= 0,"
                    + " arrival rate > 0, at least one endpoint, cores >= 1, a window > 0 and a CPU share in (0, 1];"
                    + " got " + provisionedConcurrency + ", " + minimumProvisionedConcurrency + ", " + arrivalRate
                    + ", " + firstInvocations.size() + ", " + cores + ", " + windowSeconds + ", " + maxCpuShare);
        }
    }

    /** Expected distinct environments of N reached by {@code arrivals} requests each picking one at random. */
    static double distinctEnvironments(int environments, double arrivals) {
        return environments * (1 - Math.pow(1 - 1.0 / environments, arrivals));
    }

    /** Per endpoint, the CPU ms of one first invocation, in endpoint order. */
    public List<Double> firstInvocationCpuMs() {
        return firstInvocations.stream().map(FirstInvocationCost::cpuMs).toList();
    }

    /** CPU ms the scenario needs within the window. */
    public double demandCpuMs() {
        return demand(provisionedConcurrency, arrivalRate);
    }

    private double demand(int environments, double rate) {
        double arrivals = rate * windowSeconds;
        double first = distinctEnvironments(environments, arrivals);
        return firstInvocations.stream()
                .mapToDouble(cost -> first * cost.cpuMs() + arrivals * WARM_CPU_MS_PER_REQUEST).sum();
    }

    /** CPU ms this host offers within the window at {@link #maxCpuShare()}. */
    public double capacityCpuMs() {
        return cores * windowSeconds * 1000 * maxCpuShare;
    }

    public boolean fits() {
        return cores >= MIN_CORES && demandCpuMs() <= capacityCpuMs();
    }

    /**
     * The largest provisioned concurrency (at this arrival rate) that fits the host and admits the steady phase;
     * 0 when none does.
     */
    public int largestProvisionedConcurrencyThatFits() {
        int largest = largestProvisionedConcurrencyForTheHost();
        return largest >= Math.max(1, minimumProvisionedConcurrency) ? largest : 0;
    }

    /** The largest provisioned concurrency (at this arrival rate) whose demand fits, the steady phase aside. */
    private int largestProvisionedConcurrencyForTheHost() {
        if (cores < MIN_CORES) {
            return 0;
        }
        for (int n = provisionedConcurrency; n >= 1; n--) {
            if (demand(n, arrivalRate) <= capacityCpuMs()) {
                return n;
            }
        }
        return 0;
    }

    /** The largest arrival rate (at this provisioned concurrency, to 0.1/s) that fits; 0 when none does. */
    public double largestArrivalRateThatFits() {
        if (cores < MIN_CORES) {
            return 0;
        }
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
        return String.format(Locale.ROOT, "capacity estimate: the first %s s need %.1f CPU-s (%d endpoints, %.1f of"
                        + " %d environments each reached at %s/s; first invocations: %s; %.0f ms per request) against"
                        + " %.1f CPU-s of %d cores at %s %%: %s", number(windowSeconds), demandCpuMs() / 1000,
                firstInvocations.size(), distinctEnvironments(provisionedConcurrency, arrivalRate * windowSeconds),
                provisionedConcurrency, number(arrivalRate),
                firstInvocations.stream().map(FirstInvocationCost::describe).collect(Collectors.joining(", ")),
                WARM_CPU_MS_PER_REQUEST, capacityCpuMs() / 1000, cores, number(100 * maxCpuShare),
                fits() ? "fits" : "would saturate the host; " + whatWouldFit());
    }

    private String whatWouldFit() {
        if (cores < MIN_CORES) {
            return "no scenario fits " + cores + " core: a first invocation's own compiler and garbage-collector"
                    + " threads take the core its request runs on (every run measured on one core was invalid);"
                    + " use a host, or a taskset, of at least " + MIN_CORES + " cores";
        }
        int largest = largestProvisionedConcurrencyThatFits();
        String atThisRate = largest > 0
                ? "provisioned concurrency " + largest + " at " + number(arrivalRate) + "/s"
                : "no provisioned concurrency at " + number(arrivalRate) + "/s (the host takes at most "
                        + largestProvisionedConcurrencyForTheHost() + ", the steady phase needs at least "
                        + minimumProvisionedConcurrency + ")";
        double rate = largestArrivalRateThatFits();
        String atThisConcurrency = rate > 0
                ? number(rate) + "/s at provisioned concurrency " + provisionedConcurrency
                : "no arrival rate from 0.1/s at provisioned concurrency " + provisionedConcurrency;
        return "largest that fit: " + atThisRate + ", or " + atThisConcurrency;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
