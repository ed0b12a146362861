package dev.initbench.localcloud.lambda;

import java.util.Map;

/**
 * The host's scheduler accounting of one interval of an environment (an invocation from delivery to outcome, or init
 * from process start to its end): CPU its threads used, time its busiest thread was runnable but waiting for a CPU,
 * wall time,
 * and time the environment was frozen within it. Written beside the AWS-format log lines as a {@code HOSTCPU} line
 * (see {@link PlatformLog}). These are figures of the machine running the local cloud, not of Lambda.
 */
record HostCpu(double cpuMs, double cpuWaitMs, double wallMs, double frozenMs) {

    /** The figures at one instant; {@code threads} holds each thread's CPU time and run-queue wait. */
    record Sample(long cpuNanos, Map<Long, ProcessStats.ThreadTimes> threads, long frozenNanos, long atNanos) {
        Sample {
            threads = Map.copyOf(threads);
        }

        /**
         * The interval from this sample to {@code later}. CPU is the whole process's. CPU Wait is the run-queue wait
         * of the thread that wanted a CPU most in the interval (largest CPU time plus wait: the one running the
         * handler's work), not the sum over threads: JIT-compiler and GC threads waiting beside it would otherwise
         * count their waits too, and the sum can exceed the interval. So it is bounded by the wall time.
         */
        HostCpu until(Sample later) {
            long busiestDemand = -1;
            long busiestWait = 0;
            for (Map.Entry<Long, ProcessStats.ThreadTimes> thread : later.threads.entrySet()) {
                ProcessStats.ThreadTimes before = threads.getOrDefault(thread.getKey(),
                        new ProcessStats.ThreadTimes(0, 0));
                long cpu = thread.getValue().cpuNanos() - before.cpuNanos();
                long wait = thread.getValue().waitNanos() - before.waitNanos();
                if (cpu + wait > busiestDemand) {
                    busiestDemand = cpu + wait;
                    busiestWait = wait;
                }
            }
            long wall = later.atNanos - atNanos;
            return new HostCpu(ms(later.cpuNanos - cpuNanos), ms(Math.min(busiestWait, wall)), ms(wall),
                    ms(later.frozenNanos - frozenNanos));
        }

        private static double ms(long nanos) {
            return Math.max(0, nanos) / 1e6;
        }
    }

    /** An interval in which nothing ran (an invocation that was never delivered). */
    static final HostCpu NOTHING = new HostCpu(0, 0, 0, 0);
}
