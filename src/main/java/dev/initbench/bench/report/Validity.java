package dev.initbench.bench.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.initbench.bench.stats.CpuContention;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a run's numbers are the functions' or the host's: a run whose compared requests spent more than
 * {@link #maxCpuWaitShare()} of their summed latency waiting for a CPU of this host is invalid (host saturated),
 * and its budget verdicts are not the functions' results. Judged per compared endpoint (the steady phases) over
 * all its matched 2xx requests, first invocations included: they are part of the p99 and maximum that the budgets
 * compare, and they are where contention concentrates (each first invocation does its environment's setup while
 * the others do theirs).
 *
 * <p>Before that, locally: a run in which the local cloud refused to start an environment because the host's memory
 * could not hold it ({@code HOSTMEMORY} lines) is invalid (host memory exhausted) whatever its CPU: its 429 answers
 * are the host's, not the function's latency, and the environments it did not start are load the functions never
 * saw.
 *
 * @param status          the verdict
 * @param maxCpuWaitShare the share allowed (0..1)
 * @param endpoints       the compared endpoints' figures, in report order
 * @param hostMemory      per function whose starts the host's memory refused, what was refused (empty when none)
 */
@JsonIgnoreProperties(value = {"valid", "summary"}, allowGetters = true)
public record Validity(Status status, double maxCpuWaitShare, List<EndpointShare> endpoints,
                       List<HostMemoryRefusals> hostMemory) {

    /** The verdict. */
    public enum Status {
        /** Every compared endpoint waited for a CPU at most the share allowed. */
        VALID("valid", ""),
        /** The local cloud refused environment starts for the host's memory: requests were throttled by the host. */
        INVALID_HOST_MEMORY("INVALID: host memory exhausted", "the host's memory was exhausted"),
        /** Some compared endpoint waited longer: the host's run queue made the numbers. */
        INVALID_HOST_SATURATED("INVALID: host saturated", "the host was saturated"),
        /** Local target, but no HOSTCPU lines to judge by. */
        NOT_MEASURED("validity not judged: CPU wait not measured", ""),
        /** AWS: each environment has its own CPU, there is no shared host to saturate. */
        NOT_APPLICABLE("validity not applicable (AWS gives each environment its own CPU)", "");

        private final String label;
        private final String budgetsNotJudgedBecause;

        Status(String label, String budgetsNotJudgedBecause) {
            this.label = label;
            this.budgetsNotJudgedBecause = budgetsNotJudgedBecause;
        }

        public String label() {
            return label;
        }

        /** Why an invalid run's budgets are not judged, e.g. "the host was saturated"; "" for the others. */
        public String budgetsNotJudgedBecause() {
            return budgetsNotJudgedBecause;
        }
    }

    /**
     * One compared endpoint.
     *
     * @param endpoint              its name
     * @param requests              matched requests
     * @param cpuWaitShare          CPU wait over summed latency of them all (what is judged)
     * @param firstInvocationShare  the same over first invocations only
     * @param laterInvocationShare  the same over the other requests
     * @param cpuWaitSumMs          summed CPU wait
     * @param latencySumMs          summed latency
     */
    public record EndpointShare(String endpoint, long requests, double cpuWaitShare, double firstInvocationShare,
                                double laterInvocationShare, double cpuWaitSumMs, double latencySumMs) {
    }

    /**
     * The environment starts the local cloud refused for one function (strategy) because the host's memory could
     * not hold them, over all its phases.
     *
     * @param endpoint             the strategy's endpoint name (its steady phase; the burst's scope shares it)
     * @param throttledInvocations on-demand starts refused: invocations answered 429 by the host, not the function
     * @param refusedProvisioned   provisioned-concurrency starts refused (the configuration FAILED)
     * @param tooManyRequests      the 429 answers the endpoint's requests got in all, whatever throttled them
     * @param lastAvailableMb      the host's MemAvailable at the last refusal
     * @param neededMb             what one environment needs
     * @param floorMb              what the local cloud keeps free
     */
    public record HostMemoryRefusals(String endpoint, long throttledInvocations, long refusedProvisioned,
                                     long tooManyRequests, long lastAvailableMb, long neededMb, long floorMb) {
    }

    public Validity {
        endpoints = List.copyOf(endpoints);
        hostMemory = hostMemory == null ? List.of() : List.copyOf(hostMemory); // absent from older reports
    }

    /** For the AWS target. */
    public static Validity notApplicable(double maxCpuWaitShare) {
        return new Validity(Status.NOT_APPLICABLE, maxCpuWaitShare, List.of(), List.of());
    }

    /** Judges the compared endpoints' contention (name → figures) against the share allowed. */
    public static Validity judge(Map<String, CpuContention> compared, double maxCpuWaitShare) {
        return judge(compared, maxCpuWaitShare, List.of());
    }

    /**
     * Judges a local run: invalid for host memory when the local cloud refused any start ({@code hostMemory} holds
     * the functions it refused starts of), else the compared endpoints' contention against the share allowed.
     */
    public static Validity judge(Map<String, CpuContention> compared, double maxCpuWaitShare,
                                 List<HostMemoryRefusals> hostMemory) {
        List<EndpointShare> shares = new ArrayList<>();
        boolean measured = !compared.isEmpty();
        boolean saturated = false;
        for (Map.Entry<String, CpuContention> entry : compared.entrySet()) {
            CpuContention contention = entry.getValue();
            if (contention.source() == CpuContention.Source.NOT_MEASURED_ON_AWS) {
                return notApplicable(maxCpuWaitShare);
            }
            measured &= contention.measured();
            CpuContention.Share all = contention.all();
            shares.add(new EndpointShare(entry.getKey(), all.requests(), all.cpuWaitShare(),
                    contention.firstInvocations().cpuWaitShare(), contention.laterInvocations().cpuWaitShare(),
                    all.cpuWaitSumMs(), all.latencySumMs()));
            saturated |= contention.measured() && all.cpuWaitShare() > maxCpuWaitShare;
        }
        Status status = !hostMemory.isEmpty() ? Status.INVALID_HOST_MEMORY : saturated ? Status.INVALID_HOST_SATURATED
                : measured ? Status.VALID : Status.NOT_MEASURED;
        return new Validity(status, maxCpuWaitShare, shares, hostMemory);
    }

    /** Whether the budgets' verdicts may be presented as the functions' results (not invalid). */
    @JsonProperty("valid")
    public boolean valid() {
        return status != Status.INVALID_HOST_SATURATED && status != Status.INVALID_HOST_MEMORY;
    }

    /**
     * One paragraph: the verdict, each compared endpoint's share of latency spent waiting for a CPU (first and later
     * invocations), and the share allowed.
     */
    @JsonProperty("summary")
    public String summary() {
        StringBuilder text = new StringBuilder(status.label());
        if (status == Status.NOT_APPLICABLE) {
            return text.toString();
        }
        text.append(": ");
        if (status == Status.INVALID_HOST_MEMORY) {
            text.append(hostMemorySummary());
            if (endpoints.isEmpty()) {
                return text.toString();
            }
            text.append(". CPU: ");
        }
        List<String> parts = new ArrayList<>();
        for (EndpointShare share : endpoints) {
            parts.add(String.format(Locale.ROOT, "%s waited for a CPU of this host %s of its %d compared requests'"
                            + " summed latency (%.0f of %.0f ms; first invocations %s, later %s)", share.endpoint(),
                    percent(share.cpuWaitShare()), share.requests(), share.cpuWaitSumMs(), share.latencySumMs(),
                    percent(share.firstInvocationShare()), percent(share.laterInvocationShare())));
        }
        text.append(String.join("; ", parts));
        text.append("; allowed ").append(percent(maxCpuWaitShare)).append(" (bench.validity.maxCpuWaitShare, --max-cpu-wait-share)");
        if (status == Status.INVALID_HOST_SATURATED) {
            text.append(". The host, not the function, made these numbers: the budgets are not judged. Lower"
                    + " provisioned concurrency or the arrival rate, or run on a machine with more cores");
        }
        return text.toString();
    }

    private String hostMemorySummary() {
        List<String> parts = new ArrayList<>();
        for (HostMemoryRefusals refused : hostMemory) {
            parts.add(String.format(Locale.ROOT, "%s: %d invocation(s) throttled by this host's memory (of %d"
                            + " answered 429)%s, the last with %d MB available, %d MB needed and %d MB kept free",
                    refused.endpoint(), refused.throttledInvocations(), refused.tooManyRequests(),
                    refused.refusedProvisioned() == 0 ? "" : String.format(Locale.ROOT,
                            " and %d provisioned start(s) refused", refused.refusedProvisioned()),
                    refused.lastAvailableMb(), refused.neededMb(), refused.floorMb()));
        }
        return "the local cloud refused to start execution environments because this host's memory could not hold"
                + " them (" + String.join("; ", parts) + "). Those 429s are the host's answers, not the functions'"
                + " latency, and the budgets are not judged. Lower the provisioned concurrency, the burst's extra"
                + " arrivals or the arrival rate, deploy fewer strategies, or free memory on this host";
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }
}
