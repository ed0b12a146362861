package dev.initbench.bench.stats;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How much of one endpoint's latency was spent waiting for a CPU of this host, from the HOSTCPU lines of its
 * invocations matched to its 2xx responses by request id. On the local cloud every environment is a process on the
 * same few cores, so a request can wait in the host's run queue; that wait is the host's, not the function's.
 *
 * @param source            whether and how it was measured
 * @param firstInvocations  the environments' first invocations
 * @param laterInvocations  the other attributable invocations
 * @param unmatched         attributable 2xx responses without a HOSTCPU line
 */
@JsonIgnoreProperties(value = {"all"}, allowGetters = true)
public record CpuContention(Source source, Share firstInvocations, Share laterInvocations, long unmatched) {

    /** Where the figures come from. */
    public enum Source {
        /** HOSTCPU lines of the local cloud. */
        MEASURED("measured from the local cloud's HOSTCPU lines"),
        /** AWS: each environment has its own CPU share, there is no host to wait for. */
        NOT_MEASURED_ON_AWS("not measured (AWS gives each environment its own CPU)"),
        /** The local cloud wrote no HOSTCPU line for these invocations (a build without CPU accounting). */
        NO_HOSTCPU_LINES("not measured (the local cloud wrote no HOSTCPU lines)");

        private final String description;

        Source(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * Summed figures of a set of invocations.
     *
     * @param requests      matched invocations
     * @param latencySumMs  their summed client-side latency (from intended send time)
     * @param cpuWaitSumMs  their summed time runnable but waiting for a CPU
     * @param cpuSumMs      their summed CPU time
     */
    @JsonIgnoreProperties(value = {"cpuWaitShare"}, allowGetters = true)
    public record Share(long requests, double latencySumMs, double cpuWaitSumMs, double cpuSumMs) {

        public static final Share NONE = new Share(0, 0, 0, 0);

        /** CPU wait over latency, 0 when nothing was matched. */
        @JsonProperty("cpuWaitShare")
        public double cpuWaitShare() {
            return latencySumMs <= 0 ? 0 : cpuWaitSumMs / latencySumMs;
        }

        public double meanCpuMs() {
            return requests == 0 ? 0 : cpuSumMs / requests;
        }

        public Share plus(Share other) {
            return new Share(requests + other.requests, latencySumMs + other.latencySumMs,
                    cpuWaitSumMs + other.cpuWaitSumMs, cpuSumMs + other.cpuSumMs);
        }

        Share plus(double latencyMs, HostCpuLine.Invocation line) {
            return plus(new Share(1, latencyMs, line.cpuWaitMs(), line.cpuMs()));
        }

        /** "12.3 %" of latency. */
        public String percent() {
            return String.format(Locale.ROOT, "%.1f %%", 100 * cpuWaitShare());
        }
    }

    /** One answered request of the endpoint, as the recorder saw it, with its intended send time in the load. */
    public record Answered(String requestId, boolean firstInvocation, double latencyMs, double sentAtSeconds) {
    }

    /** Figures for the AWS target: none, by design. */
    public static CpuContention notMeasuredOnAws() {
        return new CpuContention(Source.NOT_MEASURED_ON_AWS, Share.NONE, Share.NONE, 0);
    }

    /** Joins answered requests to the HOSTCPU invocation lines among {@code lines} by request id. */
    public static CpuContention measure(Collection<Answered> answered, Collection<HostCpuLine> lines) {
        Map<String, HostCpuLine.Invocation> byRequestId = new HashMap<>();
        for (HostCpuLine line : lines) {
            if (line instanceof HostCpuLine.Invocation invocation) {
                byRequestId.put(invocation.requestId(), invocation);
            }
        }
        Share first = Share.NONE;
        Share later = Share.NONE;
        long unmatched = 0;
        for (Answered request : answered) {
            HostCpuLine.Invocation line = byRequestId.get(request.requestId());
            if (line == null) {
                unmatched++;
            } else if (request.firstInvocation()) {
                first = first.plus(request.latencyMs(), line);
            } else {
                later = later.plus(request.latencyMs(), line);
            }
        }
        Source source = first.requests() + later.requests() == 0 && unmatched > 0 ? Source.NO_HOSTCPU_LINES
                : Source.MEASURED;
        return new CpuContention(source, first, later, unmatched);
    }

    /** First and later invocations together: what the endpoint's compared latency is made of. */
    @JsonProperty("all")
    public Share all() {
        return firstInvocations.plus(laterInvocations);
    }

    public boolean measured() {
        return source == Source.MEASURED;
    }
}
