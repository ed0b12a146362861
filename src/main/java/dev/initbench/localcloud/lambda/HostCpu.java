package dev.initbench.localcloud.lambda;

/**
 * The host's scheduler accounting of one interval of an environment (an invocation from delivery to outcome, or init
 * from process start to its end): CPU its threads used, time they were runnable but waiting for a CPU, wall time,
 * and time the environment was frozen within it. Written beside the AWS-format log lines as a {@code HOSTCPU} line
 * (see {@link PlatformLog}). These are figures of the machine running the local cloud, not of Lambda.
 */
record HostCpu(double cpuMs, double cpuWaitMs, double wallMs, double frozenMs) {

    /** The figures at one instant. */
    record Sample(long cpuNanos, long cpuWaitNanos, long frozenNanos, long atNanos) {

        /** The interval from this sample to {@code later}. */
        HostCpu until(Sample later) {
            return new HostCpu(ms(later.cpuNanos - cpuNanos), ms(later.cpuWaitNanos - cpuWaitNanos),
                    ms(later.atNanos - atNanos), ms(later.frozenNanos - frozenNanos));
        }

        private static double ms(long nanos) {
            return Math.max(0, nanos) / 1e6;
        }
    }

    /** An interval in which nothing ran (an invocation that was never delivered). */
    static final HostCpu NOTHING = new HostCpu(0, 0, 0, 0);
}
