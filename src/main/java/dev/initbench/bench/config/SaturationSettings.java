package dev.initbench.bench.config;

/**
 * How much of this host's CPU a local run may contend for.
 *
 * @param maxCpuWaitShare  share (0..1) of the compared requests' summed latency they may spend waiting for a CPU
 *                         before the run is invalid: host saturated
 * @param allowSaturation  run a scenario even when the capacity estimate says it would saturate the host
 * @param capacityCpuShare share (0..1] of the cores' time the capacity estimate lets the load's first seconds fill
 *                         before it refuses the scenario
 */
public record SaturationSettings(double maxCpuWaitShare, boolean allowSaturation, double capacityCpuShare) {

    /** 25 %: README "What the numbers mean" gives the reasons. */
    public static final double DEFAULT_MAX_CPU_WAIT_SHARE = 0.25;
    /**
     * 70 % of the cores over the estimate's first 2 s, calibrated on 10 runs on a quiet 2-core host pinned to 1 and 2
     * cores (2026-12-01): every run estimated at up to 67 % ran valid, every one from 71 % invalid (README, <i>How
     * large a scenario this host runs validly</i>; {@code CapacityEstimateTest} keeps the runs). Waits grow before the
     * cores are full on average, as the first invocations arrive together.
     */
    public static final double DEFAULT_CAPACITY_CPU_SHARE = 0.7;

    public static final SaturationSettings DEFAULTS = new SaturationSettings(DEFAULT_MAX_CPU_WAIT_SHARE, false);

    public SaturationSettings {
        if (!(capacityCpuShare > 0 && capacityCpuShare <= 1)) {
            throw new IllegalArgumentException("capacityCpuShare must be in (0, 1], was " + capacityCpuShare);
        }
    }

    /** With the default {@link #DEFAULT_CAPACITY_CPU_SHARE}. */
    public SaturationSettings(double maxCpuWaitShare, boolean allowSaturation) {
        this(maxCpuWaitShare, allowSaturation, DEFAULT_CAPACITY_CPU_SHARE);
    }
}
