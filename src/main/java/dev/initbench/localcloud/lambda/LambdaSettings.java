package dev.initbench.localcloud.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How the local Lambda service runs execution environments. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * LambdaSettings settings = LambdaSettings.builder()
 *         .concurrencyLimit(40)
 *         .environmentSelection(EnvironmentSelection.LEAST_RECENTLY_USED)
 *         .build();
 * }</pre>
 */
public final class LambdaSettings {

    /** The default of {@link Builder#hostMemoryFloorMb(long)}. */
    public static final long DEFAULT_HOST_MEMORY_FLOOR_MB = 1024;
    /** 1 TiB: a larger floor is a unit mistake (KB or bytes for MB), not a choice. */
    private static final long MAX_HOST_MEMORY_FLOOR_MB = 1L << 20;

    private final int concurrencyLimit;
    private final Duration idleEnvironmentTimeout;
    private final Duration onDemandInitTimeout;
    private final Duration provisionedInitTimeout;
    private final EnvironmentSelection environmentSelection;
    private final Path jdkSearchDirectory;
    private final Map<String, Path> runtimeJdks;
    private final Path workDirectory;
    private final long selectionSeed;
    private final int provisioningParallelism;
    private final boolean freezeIdleEnvironments;
    private final long hostMemoryFloorMb;

    private LambdaSettings(Builder builder) {
        this.concurrencyLimit = builder.concurrencyLimit;
        this.idleEnvironmentTimeout = builder.idleEnvironmentTimeout;
        this.onDemandInitTimeout = builder.onDemandInitTimeout;
        this.provisionedInitTimeout = builder.provisionedInitTimeout;
        this.environmentSelection = builder.environmentSelection;
        this.jdkSearchDirectory = builder.jdkSearchDirectory;
        this.runtimeJdks = Map.copyOf(builder.runtimeJdks);
        this.workDirectory = builder.workDirectory;
        this.selectionSeed = builder.selectionSeed;
        this.provisioningParallelism = builder.provisioningParallelism;
        this.freezeIdleEnvironments = builder.freezeIdleEnvironments;
        this.hostMemoryFloorMb = builder.hostMemoryFloorMb;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder builder = new Builder()
                .concurrencyLimit(concurrencyLimit)
                .idleEnvironmentTimeout(idleEnvironmentTimeout)
                .onDemandInitTimeout(onDemandInitTimeout)
                .provisionedInitTimeout(provisionedInitTimeout)
                .environmentSelection(environmentSelection)
                .jdkSearchDirectory(jdkSearchDirectory)
                .workDirectory(workDirectory)
                .selectionSeed(selectionSeed)
                .provisioningParallelism(provisioningParallelism)
                .freezeIdleEnvironments(freezeIdleEnvironments)
                .hostMemoryFloorMb(hostMemoryFloorMb);
        runtimeJdks.forEach(builder::runtimeJdk);
        return builder;
    }

    /** The defaults: see each builder method. */
    public static LambdaSettings defaults() {
        return builder().build();
    }

    /** Concurrent executions across all functions before Invoke answers 429 TooManyRequestsException. */
    public int concurrencyLimit() {
        return concurrencyLimit;
    }

    /** How long a spare on-demand environment stays idle before it is shut down. */
    public Duration idleEnvironmentTimeout() {
        return idleEnvironmentTimeout;
    }

    /** Init budget of an on-demand environment (AWS: 10 s). */
    public Duration onDemandInitTimeout() {
        return onDemandInitTimeout;
    }

    /** Init budget of a provisioned-concurrency environment. */
    public Duration provisionedInitTimeout() {
        return provisionedInitTimeout;
    }

    public EnvironmentSelection environmentSelection() {
        return environmentSelection;
    }

    /** Where JDKs matching a function's runtime are looked for (each subdirectory with a {@code release} file). */
    public Path jdkSearchDirectory() {
        return jdkSearchDirectory;
    }

    /** Explicit JDK home per runtime ({@code java21} → path); wins over the search directory. */
    public Map<String, Path> runtimeJdks() {
        return runtimeJdks;
    }

    /** Where deployment packages are unpacked; empty = a temporary directory removed on close. */
    public Optional<Path> workDirectory() {
        return Optional.ofNullable(workDirectory);
    }

    /** Seed of {@link EnvironmentSelection#RANDOM}, so a run can be repeated. */
    public long selectionSeed() {
        return selectionSeed;
    }

    /** How many provisioned-concurrency environments initialize at the same time (AWS: all at once). */
    public int provisioningParallelism() {
        return provisioningParallelism;
    }

    /**
     * Whether an environment is frozen while it has no pending invocation (after init and between invocations), as
     * Lambda does, with the local cloud's answers to it held until it thaws.
     */
    public boolean freezeIdleEnvironments() {
        return freezeIdleEnvironments;
    }

    /**
     * Memory in MB the host must keep available after an environment starts; 0 when the guard is off. A start that
     * would leave less is refused: an on-demand one throttles its invocation (429 {@code TooManyRequestsException}),
     * a provisioned one fails its provisioned concurrency configuration.
     */
    public long hostMemoryFloorMb() {
        return hostMemoryFloorMb;
    }

    /** Builder of {@link LambdaSettings}. */
    public static final class Builder {
        private int concurrencyLimit = 1000;
        private Duration idleEnvironmentTimeout = Duration.ofMinutes(5);
        private Duration onDemandInitTimeout = Duration.ofSeconds(10);
        private Duration provisionedInitTimeout = Duration.ofMinutes(2);
        private EnvironmentSelection environmentSelection = EnvironmentSelection.RANDOM;
        private Path jdkSearchDirectory = Path.of("/usr/lib/jvm");
        private final Map<String, Path> runtimeJdks = new TreeMap<>();
        private Path workDirectory;
        private long selectionSeed = System.nanoTime();
        private int provisioningParallelism = Math.max(2, Runtime.getRuntime().availableProcessors());
        private boolean freezeIdleEnvironments = true;
        private long hostMemoryFloorMb = DEFAULT_HOST_MEMORY_FLOOR_MB;

        private Builder() {
        }

        /**
         * Account concurrency limit; default 1,000, AWS's default quota, which GetAccountSettings reports. Every
         * environment here is a real process on this machine: the benchmark's preflight checks that a scenario's
         * environments fit the host's memory, and its capacity estimate that their first invocations fit the cores;
         * whatever the limit, {@link #hostMemoryFloorMb(long)} refuses each start the host's memory cannot hold.
         */
        public Builder concurrencyLimit(int concurrencyLimit) {
            if (concurrencyLimit < 1) {
                throw new IllegalArgumentException("concurrencyLimit must be at least 1, was " + concurrencyLimit);
            }
            this.concurrencyLimit = concurrencyLimit;
            return this;
        }

        /** Default 5 minutes (AWS keeps idle environments for an undocumented, varying time). */
        public Builder idleEnvironmentTimeout(Duration timeout) {
            this.idleEnvironmentTimeout = positive(timeout, "idleEnvironmentTimeout");
            return this;
        }

        /** Default 10 s, as AWS documents for on-demand init. */
        public Builder onDemandInitTimeout(Duration timeout) {
            this.onDemandInitTimeout = positive(timeout, "onDemandInitTimeout");
            return this;
        }

        /** Default 2 minutes. */
        public Builder provisionedInitTimeout(Duration timeout) {
            this.provisionedInitTimeout = positive(timeout, "provisionedInitTimeout");
            return this;
        }

        /** Default {@link EnvironmentSelection#RANDOM}. */
        public Builder environmentSelection(EnvironmentSelection selection) {
            this.environmentSelection = Objects.requireNonNull(selection, "environmentSelection");
            return this;
        }

        /** Default {@code /usr/lib/jvm}. */
        public Builder jdkSearchDirectory(Path directory) {
            this.jdkSearchDirectory = Objects.requireNonNull(directory, "jdkSearchDirectory");
            return this;
        }

        /** Pins the JDK home used for one runtime, e.g. {@code runtimeJdk("java21", Path.of("/opt/jdk-21"))}. */
        public Builder runtimeJdk(String runtime, Path javaHome) {
            runtimeJdks.put(Objects.requireNonNull(runtime, "runtime"), Objects.requireNonNull(javaHome, "javaHome"));
            return this;
        }

        public Builder workDirectory(Path directory) {
            this.workDirectory = directory;
            return this;
        }

        public Builder selectionSeed(long seed) {
            this.selectionSeed = seed;
            return this;
        }

        /**
         * Default: the number of processors, at least 2, so provisioning many JVMs does not thrash a small machine
         * (init time is measured per environment from its own JVM start, so queueing does not inflate it).
         */
        public Builder provisioningParallelism(int parallelism) {
            if (parallelism < 1) {
                throw new IllegalArgumentException("provisioningParallelism must be at least 1, was " + parallelism);
            }
            this.provisioningParallelism = parallelism;
            return this;
        }

        /**
         * Default {@code true}, as Lambda: work an environment started during init and did not await makes no
         * progress until its first invocation. {@code false} keeps idle environments running, to show the
         * difference.
         */
        public Builder freezeIdleEnvironments(boolean freeze) {
            this.freezeIdleEnvironments = freeze;
            return this;
        }

        /**
         * Default 1,024 MB: the host memory left for everything but the environments (the local cloud's own JVM, the
         * load generator, the rest of the host). Before it starts an environment the service reads the host's
         * {@code MemAvailable} and refuses the start when that, less what environments still starting will take
         * and this environment's {@link EnvironmentFootprint}, is below the floor. AWS has no such limit (each
         * environment has its own memory there); here every environment is a process of this host, so without it a
         * runaway spill-over drives the host into swap or the OOM killer. 0 turns the guard off.
         */
        public Builder hostMemoryFloorMb(long floorMb) {
            if (floorMb < 0 || floorMb > MAX_HOST_MEMORY_FLOOR_MB) {
                throw new IllegalArgumentException("hostMemoryFloorMb must be between 0 (guard off) and "
                        + MAX_HOST_MEMORY_FLOOR_MB + " MB, was " + floorMb + ": it is the host memory, in MB, to keep"
                        + " free beside the execution environments (default " + DEFAULT_HOST_MEMORY_FLOOR_MB + ")");
            }
            this.hostMemoryFloorMb = floorMb;
            return this;
        }

        public LambdaSettings build() {
            return new LambdaSettings(this);
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + duration);
            }
            return duration;
        }
    }
}
