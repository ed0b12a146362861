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
 * @param status          the verdict
 * @param maxCpuWaitShare the share allowed (0..1)
 * @param endpoints       the compared endpoints' figures, in report order
 */
@JsonIgnoreProperties(value = {"valid", "summary"}, allowGetters = true)
public record Validity(Status status, double maxCpuWaitShare, List<EndpointShare> endpoints) {

    /** The verdict. */
    public enum Status {
        /** Every compared endpoint waited for a CPU at most the share allowed. */
        VALID("valid"),
        /** Some compared endpoint waited longer: the host's run queue made the numbers. */
        INVALID_HOST_SATURATED("INVALID: host saturated"),
        /** Local target, but no HOSTCPU lines to judge by. */
        NOT_MEASURED("validity not judged: CPU wait not measured"),
        /** AWS: each environment has its own CPU, there is no shared host to saturate. */
        NOT_APPLICABLE("validity not applicable (AWS gives each environment its own CPU)");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
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

    public Validity {
        endpoints = List.copyOf(endpoints);
    }

    /** For the AWS target. */
    public static Validity notApplicable(double maxCpuWaitShare) {
        return new Validity(Status.NOT_APPLICABLE, maxCpuWaitShare, List.of());
    }

    /** Judges the compared endpoints' contention (name → figures) against the share allowed. */
    public static Validity judge(Map<String, CpuContention> compared, double maxCpuWaitShare) {
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
        Status status = saturated ? Status.INVALID_HOST_SATURATED : measured ? Status.VALID : Status.NOT_MEASURED;
        return new Validity(status, maxCpuWaitShare, shares);
    }

    /** Whether the budgets' verdicts may be presented as the functions' results (not invalid). */
    @JsonProperty("valid")
    public boolean valid() {
        return status != Status.INVALID_HOST_SATURATED;
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

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * share);
    }
}
