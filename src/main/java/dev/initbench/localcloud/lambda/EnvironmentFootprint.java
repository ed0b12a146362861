package dev.initbench.localcloud.lambda;

/**
 * The host memory one execution environment of a runtime family holds: the one source of these figures, for the
 * local Lambda service's {@link LambdaSettings#hostMemoryFloorMb() host memory guard} and the benchmark's preflight.
 * Each is the resident memory (ps RSS) measured after init and its first invocations, rounded up.
 */
public enum EnvironmentFootprint {
    /** A JVM: 135–136 MB measured (1024 MB memory size, the eager/lazy/async-init functions on JDK 17). */
    JAVA("Java", 150),
    /** Node.js (the esm and cjs functions): 70–73 MB measured. */
    NODE("Node.js", 80);

    private final String label;
    private final long megabytes;

    EnvironmentFootprint(String label, long megabytes) {
        this.label = label;
        this.megabytes = megabytes;
    }

    /** The family's name in messages, e.g. {@code Node.js}. */
    public String label() {
        return label;
    }

    public long megabytes() {
        return megabytes;
    }
}
