package dev.initbench.localcloud.lambda;

/**
 * How an idle execution environment is frozen. Measured here ({@code EnvironmentFreezerBenchmark}): the cgroup v2
 * freezer is the cheaper (one file write, no process started; the kernel reports the cgroup frozen within a few
 * hundred µs), so it is used whenever the service could create its cgroup; signals are the fallback.
 */
enum FreezeMethod {
    /** {@code cgroup.freeze} of the environment's own cgroup v2: every process of the environment. */
    CGROUP_V2,
    /** {@code SIGSTOP} / {@code SIGCONT} to the environment's process, sent by {@code kill(1)} (a process per call). */
    SIGNALS
}
