package dev.initbench.bench.config;

/**
 * How much of this host's CPU a local run may contend for.
 *
 * @param maxCpuWaitShare share (0..1) of the compared requests' summed latency they may spend waiting for a CPU
 *                        before the run is invalid: host saturated
 * @param allowSaturation run a scenario even when the capacity estimate says it would saturate the host
 */
public record SaturationSettings(double maxCpuWaitShare, boolean allowSaturation) {

    /** 25 %: README "What the numbers mean" gives the reasons. */
    public static final double DEFAULT_MAX_CPU_WAIT_SHARE = 0.25;

    public static final SaturationSettings DEFAULTS = new SaturationSettings(DEFAULT_MAX_CPU_WAIT_SHARE, false);
}
