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
     * 50 %, measured: a scenario estimated at 96 % of 80 % (PC 12, 8/s, 2 cores) ran invalid (lazy 65 % CPU wait):
     * the first invocations arrive together, their slowness raises concurrency into on-demand cold starts (more
     * JVMs), so waits grow long before the cores are full on average.
     */
    public static final double DEFAULT_CAPACITY_CPU_SHARE = 0.5;

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
