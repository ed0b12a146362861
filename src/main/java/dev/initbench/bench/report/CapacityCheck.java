package dev.initbench.bench.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Locale;

/**
 * The capacity estimate made before the load (local target) beside what the load's same first seconds actually
 * used, so every run checks the estimate.
 *
 * @param windowSeconds           the first seconds of the load the estimate covers
 * @param cores                   the cores it counted
 * @param demandCpuSeconds        the CPU it estimated the load would need in the window
 * @param capacityCpuSeconds      the CPU it allowed the window (cores × window × its utilisation cap)
 * @param hostBusyCpuSeconds      measured: the CPU everything on the host used in the window ({@code /proc/stat});
 *                                null when the host was not measured
 * @param environmentsCpuSeconds  measured: the CPU the functions' invocations sent in the window used (their HOSTCPU
 *                                lines); null when there were none
 */
public record CapacityCheck(double windowSeconds, int cores, double demandCpuSeconds, double capacityCpuSeconds,
                            Double hostBusyCpuSeconds, Double environmentsCpuSeconds) {

    /** Busy share of all cores over the window from which the host counts as full (its busy CPU is then a floor). */
    static final double FULL_SHARE = 0.95;

    /**
     * "capacity estimate 3.2 CPU-s for the first 5 s (allowed 5.0 CPU-s of 2 cores); actual: host busy 2.9 CPU-s
     * (0.91× the estimate), the functions' invocations 1.8 CPU-s (HOSTCPU)".
     */
    @JsonIgnore
    public String summary() {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "capacity estimate %.1f CPU-s for the first"
                + " %s s (allowed %.1f CPU-s of %d cores); actual: ", demandCpuSeconds, number(windowSeconds),
                capacityCpuSeconds, cores));
        text.append(hostBusyCpuSeconds == null ? "host CPU not measured"
                : String.format(Locale.ROOT, "host busy %.1f CPU-s (%s the estimate)", hostBusyCpuSeconds,
                demandCpuSeconds > 0 ? String.format(Locale.ROOT, "%.2f×", hostBusyCpuSeconds / demandCpuSeconds)
                        : "no"));
        if (hostBusyCpuSeconds != null && hostBusyCpuSeconds >= FULL_SHARE * cores * windowSeconds) {
            // A full host shows what it could give, not what was asked of it.
            text.append(", all its cores: the demand was at least that");
        }
        if (environmentsCpuSeconds != null) {
            text.append(String.format(Locale.ROOT, ", the functions' invocations %.1f CPU-s (HOSTCPU)",
                    environmentsCpuSeconds));
        }
        return text.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
