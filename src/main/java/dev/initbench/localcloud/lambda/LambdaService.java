package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.server.LoopbackServers;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.RestService;
import dev.initbench.localcloud.s3.ObjectReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The local Lambda service: functions, published versions, aliases, provisioned concurrency, and execution
 * environments that are real JVMs running the Lambda runtime interface client.
 *
 * <p>Routing: an invocation of a qualifier with provisioned concurrency goes to an idle, initialized provisioned
 * environment chosen by {@link LambdaSettings#environmentSelection()}; otherwise to an idle on-demand environment of
 * that version (most recently used first, so spare ones age out), else a new on-demand environment is started
 * (a cold start). More concurrent invocations than {@link LambdaSettings#concurrencyLimit()} are refused with
 * 429 {@code TooManyRequestsException}. Thread-safe.
 */
public final class LambdaService implements AutoCloseable {

    static {
        LoopbackServers.disableNagle();
    }

    private static final String WORK_DIRECTORY_PREFIX = "initbench-lambda-";
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final Set<String> RESERVED_VARIABLES = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    private final CloudContext context;
    private final ObjectReader objects;
    private final LogStore logs;
    private final LambdaSettings settings;
    private final EnvironmentLauncher launcher;
    private final Path workDirectory;
    private final boolean ownsWorkDirectory;
    private final Random selectionRandom;
    private final Object lock = new Object();
    private final NavigableMap<String, FunctionEntry> functions = new TreeMap<>();
    private final Map<String, Provisioned> provisioned = new TreeMap<>();
    private final Map<String, List<ExecutionEnvironment>> onDemand = new TreeMap<>();
    private final Set<ExecutionEnvironment> allEnvironments = ConcurrentHashMap.newKeySet();
    private final Map<String, JavaRuntime> jdks = new ConcurrentHashMap<>();
    private final ExecutorService runtimeApiThreads = Executors.newCachedThreadPool(daemon("lambda-runtime-api"));
    private final ExecutorService provisioningThreads;
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(daemon("lambda-reaper"));
    private final Thread shutdownHook = new Thread(this::killAllEnvironments, "lambda-environments-shutdown");
    private int inFlight;
    private boolean closed;

    public LambdaService(CloudContext context, ObjectReader objects, LogStore logs, LambdaSettings settings) {
        this.context = Objects.requireNonNull(context, "context");
        this.objects = Objects.requireNonNull(objects, "objects");
        this.logs = Objects.requireNonNull(logs, "logs");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.selectionRandom = new Random(settings.selectionSeed());
        this.provisioningThreads = Executors.newFixedThreadPool(settings.provisioningParallelism(),
                daemon("lambda-provisioning"));
        try {
            this.ownsWorkDirectory = settings.workDirectory().isEmpty();
            if (ownsWorkDirectory) {
                removeWorkDirectoriesOfEndedProcesses();
            }
            this.workDirectory = ownsWorkDirectory
                    ? Files.createTempDirectory(WORK_DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-")
                    : Files.createDirectories(settings.workDirectory().get());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the Lambda work directory: " + e.getMessage(), e);
        }
        this.launcher = new EnvironmentLauncher(workDirectory);
        long period = Math.max(100, Math.min(1000, settings.idleEnvironmentTimeout().toMillis() / 2));
        reaper.scheduleWithFixedDelay(this::reapEnvironments, period, period, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public CloudContext context() {
        return context;
    }

    public LambdaSettings settings() {
        return settings;
    }

    /** The Lambda REST-JSON API (signing name {@code lambda}). */
    public RestService controlPlane() {
        return new LambdaControlPlane(this);
    }

    /** Providers of AWS::Lambda::Function, Version, Alias and Permission. */
    public List<ResourceProvider> resourceProviders() {
        return LambdaResourceProviders.all(this);
    }

    /** True when environments are started through {@code setpriv --pdeathsig}, so they die with this JVM. */
    public boolean environmentsDieWithParent() {
        return launcher.usesParentDeathSignal();
    }

    // ---------------------------------------------------------------- functions

    /**
     * What CreateFunction takes.
     *
     * @param code either S3 ({@code bucket}, {@code key}) or inline zip bytes
     */
    public record FunctionSpec(String functionName, String runtime, String handler, Integer memorySizeMb,
                               Integer timeoutSeconds, String role, String description, Map<String, String> variables,
                               Code code) {
    }

    /** A deployment package: from S3 or inline. */
    public record Code(Optional<String> s3Bucket, Optional<String> s3Key, Optional<byte[]> zipFile) {

        public static Code s3(String bucket, String key) {
            return new Code(Optional.of(bucket), Optional.of(key), Optional.empty());
        }

        public static Code zip(byte[] zip) {
            return new Code(Optional.empty(), Optional.empty(), Optional.of(zip));
        }
    }

    /** An alias as GetAlias returns it. */
    public record Alias(String functionName, String name, String functionVersion, String description,
                        String aliasArn, String revisionId) {
    }

    /** A provisioned-concurrency configuration as GetProvisionedConcurrencyConfig returns it. */
    public record ProvisionedConcurrencyStatus(int requested, int available, int allocated, String status,
                                               Optional<String> statusReason, String lastModified) {
    }

    public FunctionVersion createFunction(FunctionSpec spec) {
        String name = spec.functionName();
        if (name == null || !FUNCTION_NAME.matcher(name).matches()) {
            throw invalid("FunctionName '" + name + "' must be 1-64 letters, digits, '-' or '_'");
        }
        try {
            JavaRuntime.requestedFeature(spec.runtime());
        } catch (IllegalArgumentException e) {
            throw invalid("Value " + spec.runtime() + " at 'runtime' failed to satisfy constraint: " + e.getMessage());
        }
        if (spec.handler() == null || spec.handler().isBlank()) {
            throw invalid("Handler is required for a .zip function, e.g. com.example.Handler::handleRequest");
        }
        int memory = spec.memorySizeMb() == null ? 128 : spec.memorySizeMb();
        if (memory < 128 || memory > 10240) {
            throw invalid("MemorySize " + memory + " must be between 128 and 10240 MB");
        }
        int timeout = spec.timeoutSeconds() == null ? 3 : spec.timeoutSeconds();
        if (timeout < 1 || timeout > 900) {
            throw invalid("Timeout " + timeout + " must be between 1 and 900 seconds");
        }
        Map<String, String> variables = spec.variables() == null ? Map.of() : spec.variables();
        List<String> reserved = variables.keySet().stream().filter(RESERVED_VARIABLES::contains).sorted().toList();
        if (!reserved.isEmpty()) {
            throw invalid("Lambda was unable to configure your environment variables because the environment "
                    + "variables you have provided contains reserved keys that are currently not supported for "
                    + "modification. Reserved keys used in this request: " + String.join(", ", reserved));
        }
        byte[] zip = packageBytes(spec.code());
        synchronized (lock) {
            ensureOpen();
            if (functions.containsKey(name)) {
                throw new AwsServiceException("ResourceConflictException", 409, "Function already exist: " + name);
            }
        }
        Path codeDirectory = unpack(name, zip);
        FunctionVersion latest = new FunctionVersion(name, functionArn(name), FunctionVersion.LATEST, spec.runtime(),
                spec.handler(), memory, timeout, spec.role(), spec.description() == null ? "" : spec.description(),
                variables, codeDirectory, zip.length, sha256(zip), now(), UUID.randomUUID().toString());
        jdkFor(spec.runtime());
        synchronized (lock) {
            if (functions.containsKey(name)) {
                EnvironmentLauncher.deleteTree(codeDirectory);
                throw new AwsServiceException("ResourceConflictException", 409, "Function already exist: " + name);
            }
            functions.put(name, new FunctionEntry(latest));
        }
        return latest;
    }

    /** The configuration of {@code $LATEST}, a version, or the version an alias points at. */
    public FunctionVersion getFunction(String functionName, Optional<String> qualifier) {
        FunctionReference reference = FunctionReference.parse(functionName, qualifier);
        synchronized (lock) {
            return resolve(reference);
        }
    }

    /** {@code $LATEST} of each function whose name sorts after {@code marker}, in name order, at most {@code limit}. */
    public List<FunctionVersion> listFunctions(Optional<String> marker, int limit) {
        synchronized (lock) {
            Map<String, FunctionEntry> after = marker.isPresent()
                    ? functions.tailMap(marker.get(), false) : functions;
            return after.values().stream().limit(limit).map(entry -> entry.latest).toList();
        }
    }

    /** Deletes the function (no qualifier) or one version, and stops every environment that served it. */
    public void deleteFunction(String functionName, Optional<String> qualifier) {
        FunctionReference reference = FunctionReference.parse(functionName, qualifier);
        List<ExecutionEnvironment> toStop = new ArrayList<>();
        Path codeDirectory = null;
        synchronized (lock) {
            FunctionEntry entry = entry(reference.name());
            if (reference.qualifier().isEmpty() || reference.qualifier().get().equals(FunctionVersion.LATEST)) {
                if (reference.qualifier().isPresent()) {
                    throw invalid("$LATEST version cannot be deleted without deleting the function.");
                }
                functions.remove(reference.name());
                provisioned.keySet().removeIf(key -> {
                    boolean match = key.startsWith(reference.name() + ":");
                    if (match) {
                        toStop.addAll(provisioned.get(key).release());
                    }
                    return match;
                });
                onDemand.keySet().removeIf(key -> {
                    boolean match = key.startsWith(functionArn(reference.name()) + ":");
                    if (match) {
                        toStop.addAll(onDemand.get(key));
                    }
                    return match;
                });
                codeDirectory = entry.latest.codeDirectory();
            } else {
                String version = reference.qualifier().get();
                FunctionVersion removed = entry.versions.get(version);
                if (removed == null) {
                    throw notFound("Function not found: " + functionArn(reference.name()) + ":" + version);
                }
                List<String> usedBy = entry.aliases.values().stream()
                        .filter(alias -> alias.functionVersion().equals(version)).map(Alias::name).toList();
                if (!usedBy.isEmpty()) {
                    throw new AwsServiceException("ResourceConflictException", 409, "Unable to delete version "
                            + "because the following aliases reference it: " + usedBy);
                }
                entry.versions.remove(version);
                Provisioned config = provisioned.remove(key(reference.name(), version));
                if (config != null) {
                    toStop.addAll(config.release());
                }
                List<ExecutionEnvironment> environments = onDemand.remove(removed.versionArn());
                if (environments != null) {
                    toStop.addAll(environments);
                }
            }
        }
        stopAll(toStop);
        if (codeDirectory != null) {
            EnvironmentLauncher.deleteTree(codeDirectory.getParent());
        }
    }

    public FunctionVersion publishVersion(String functionName, Optional<String> description) {
        FunctionReference reference = FunctionReference.parse(functionName);
        synchronized (lock) {
            FunctionEntry entry = entry(reference.name());
            FunctionVersion last = entry.versions.isEmpty() ? null : entry.versions.lastEntry().getValue();
            if (last != null && last.codeSha256().equals(entry.latest.codeSha256())
                    && last.revisionId().equals(entry.latest.revisionId())) {
                return last; // Lambda returns the existing version when nothing changed since it was published.
            }
            String number = Integer.toString(++entry.lastVersion);
            FunctionVersion published = entry.latest.publishedAs(number, now(), entry.latest.revisionId());
            if (description.isPresent()) {
                published = new FunctionVersion(published.functionName(), published.functionArn(), number,
                        published.runtime(), published.handler(), published.memorySizeMb(),
                        published.timeoutSeconds(), published.role(), description.get(), published.variables(),
                        published.codeDirectory(), published.codeSize(), published.codeSha256(),
                        published.lastModified(), published.revisionId());
            }
            entry.versions.put(number, published);
            return published;
        }
    }

    public Alias createAlias(String functionName, String name, String functionVersion, Optional<String> description) {
        FunctionReference reference = FunctionReference.parse(functionName);
        if (name == null || !ALIAS_NAME.matcher(name).matches() || name.length() > 128) {
            throw invalid("Alias name '" + name + "' must be 1-128 letters, digits, '-' or '_' and not only digits");
        }
        synchronized (lock) {
            FunctionEntry entry = entry(reference.name());
            if (!FunctionVersion.LATEST.equals(functionVersion) && !entry.versions.containsKey(functionVersion)) {
                throw notFound("Function not found: " + functionArn(reference.name()) + ":" + functionVersion);
            }
            if (entry.aliases.containsKey(name)) {
                throw new AwsServiceException("ResourceConflictException", 409, "Alias already exists: "
                        + functionArn(reference.name()) + ":" + name);
            }
            Alias alias = new Alias(reference.name(), name, functionVersion, description.orElse(""),
                    functionArn(reference.name()) + ":" + name, UUID.randomUUID().toString());
            entry.aliases.put(name, alias);
            return alias;
        }
    }

    public Alias getAlias(String functionName, String name) {
        FunctionReference reference = FunctionReference.parse(functionName);
        synchronized (lock) {
            Alias alias = entry(reference.name()).aliases.get(name);
            if (alias == null) {
                throw notFound("Alias not found: " + functionArn(reference.name()) + ":" + name);
            }
            return alias;
        }
    }

    /** Deletes the alias and its provisioned concurrency, stopping those environments. */
    public void deleteAlias(String functionName, String name) {
        FunctionReference reference = FunctionReference.parse(functionName);
        List<ExecutionEnvironment> toStop = new ArrayList<>();
        synchronized (lock) {
            FunctionEntry entry = functions.get(reference.name());
            if (entry == null || entry.aliases.remove(name) == null) {
                return; // DeleteAlias of a missing alias succeeds on Lambda.
            }
            Provisioned config = provisioned.remove(key(reference.name(), name));
            if (config != null) {
                toStop.addAll(config.release());
            }
        }
        stopAll(toStop);
    }

    // ---------------------------------------------------------------- provisioned concurrency

    /** Starts {@code count} provisioned environments for an alias or version; status IN_PROGRESS until all init. */
    public ProvisionedConcurrencyStatus putProvisionedConcurrency(String functionName, String qualifier, int count) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        if (reference.qualifier().isEmpty() || reference.qualifier().get().equals(FunctionVersion.LATEST)) {
            throw invalid("Provisioned Concurrency Configs cannot be applied to unpublished function versions: "
                    + "give an alias or a published version as Qualifier");
        }
        if (count < 1) {
            throw invalid("ProvisionedConcurrentExecutions must be at least 1, was " + count);
        }
        Provisioned config;
        List<ExecutionEnvironment> replaced = new ArrayList<>();
        synchronized (lock) {
            ensureOpen();
            FunctionVersion version = resolve(reference);
            String key = key(reference.name(), reference.qualifier().get());
            Provisioned previous = provisioned.remove(key);
            if (previous != null) {
                replaced.addAll(previous.release());
            }
            config = new Provisioned(reference.name(), reference.qualifier().get(), version, count, now());
            provisioned.put(key, config);
        }
        stopAll(replaced);
        for (int i = 0; i < count; i++) {
            provisioningThreads.execute(() -> provisionOne(config));
        }
        return config.status();
    }

    public ProvisionedConcurrencyStatus getProvisionedConcurrency(String functionName, String qualifier) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        synchronized (lock) {
            entry(reference.name());
            Provisioned config = reference.qualifier().map(q -> provisioned.get(key(reference.name(), q))).orElse(null);
            if (config == null) {
                throw new AwsServiceException("ProvisionedConcurrencyConfigNotFoundException", 404,
                        "No Provisioned Concurrency Config found for this function");
            }
            return config.status();
        }
    }

    /** Waits until the configuration is READY or FAILED (or the timeout passes) and returns its status. */
    public ProvisionedConcurrencyStatus awaitProvisionedConcurrency(String functionName, String qualifier,
                                                                    Duration timeout) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        Provisioned config;
        synchronized (lock) {
            config = provisioned.get(key(reference.name(), reference.qualifier().orElse("")));
        }
        if (config == null) {
            return getProvisionedConcurrency(functionName, qualifier);
        }
        try {
            config.settled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The status says what happened.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return config.status();
    }

    public void deleteProvisionedConcurrency(String functionName, String qualifier) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        Provisioned config;
        synchronized (lock) {
            entry(reference.name());
            config = provisioned.remove(key(reference.name(), reference.qualifier().orElse("")));
        }
        if (config != null) {
            stopAll(config.release());
        }
    }

    private void provisionOne(Provisioned config) {
        ExecutionEnvironment environment;
        synchronized (lock) {
            if (config.released || closed) {
                return;
            }
        }
        try {
            environment = startEnvironment(config.version, Optional.of(config.qualifier),
                    InitializationType.PROVISIONED_CONCURRENCY);
        } catch (IOException e) {
            config.fail("FUNCTION_ERROR_INIT_FAILURE: could not start an execution environment: " + e.getMessage());
            return;
        }
        synchronized (lock) {
            if (config.released || closed) {
                environment.stop();
                allEnvironments.remove(environment);
                return;
            }
            config.environments.add(environment);
        }
        try {
            environment.awaitInit(settings.provisionedInitTimeout());
            config.settleIfComplete();
        } catch (ExecutionEnvironment.EnvironmentFailure failure) {
            allEnvironments.remove(environment);
            List<ExecutionEnvironment> others;
            synchronized (lock) {
                config.environments.remove(environment);
                others = config.released ? List.of() : new ArrayList<>(config.environments);
                config.environments.clear();
            }
            config.fail("FUNCTION_ERROR_INIT_FAILURE: " + failure.errorType() + ": " + failure.getMessage());
            stopAll(others);
        }
    }

    // ---------------------------------------------------------------- invoke

    /**
     * Invokes synchronously (RequestResponse).
     *
     * @throws AwsServiceException {@code TooManyRequestsException} (429) above the concurrency limit,
     *                             {@code ResourceNotFoundException} (404) for an unknown function or qualifier
     */
    public InvocationResult invoke(String functionName, Optional<String> qualifier, byte[] payload) {
        FunctionReference reference = FunctionReference.parse(functionName, qualifier);
        FunctionVersion version;
        String invokedArn;
        Lease lease;
        synchronized (lock) {
            ensureOpen();
            version = resolve(reference);
            invokedArn = functionArn(reference.name()) + reference.qualifier().map(q -> ":" + q).orElse("");
            if (inFlight >= settings.concurrencyLimit()) {
                throw new AwsServiceException("TooManyRequestsException", 429, "Rate Exceeded.");
            }
            inFlight++;
            lease = leaseIdleEnvironment(reference, version);
        }
        try {
            ExecutionEnvironment environment = lease.environment();
            if (environment == null) {
                try {
                    environment = startOnDemand(version);
                } catch (ExecutionEnvironment.EnvironmentFailure failure) {
                    return new InvocationResult(failure.payload(), Optional.of("Unhandled"), version.version(), "",
                            true, false, 0);
                }
            }
            InvocationResult result = environment.invoke(payload, invokedArn, lease.environment() == null);
            release(environment);
            return result;
        } finally {
            synchronized (lock) {
                inFlight--;
            }
        }
    }

    private record Lease(ExecutionEnvironment environment) {
    }

    /** Under the lock: an idle provisioned environment of the qualifier, else an idle on-demand one, else none. */
    private Lease leaseIdleEnvironment(FunctionReference reference, FunctionVersion version) {
        Provisioned config = reference.qualifier().map(q -> provisioned.get(key(reference.name(), q))).orElse(null);
        if (config != null) {
            List<ExecutionEnvironment> idle = config.environments.stream()
                    .filter(env -> env.state() == ExecutionEnvironment.State.IDLE && env.initialized() && env.alive())
                    .toList();
            if (!idle.isEmpty()) {
                ExecutionEnvironment chosen = settings.environmentSelection().pick(idle, selectionRandom);
                chosen.markBusy();
                return new Lease(chosen);
            }
        }
        Optional<ExecutionEnvironment> warm = onDemand.getOrDefault(version.versionArn(), List.of()).stream()
                .filter(env -> env.state() == ExecutionEnvironment.State.IDLE && env.alive())
                .max(Comparator.comparingLong(ExecutionEnvironment::lastUsedNanos));
        warm.ifPresent(ExecutionEnvironment::markBusy);
        return new Lease(warm.orElse(null));
    }

    private ExecutionEnvironment startOnDemand(FunctionVersion version) throws ExecutionEnvironment.EnvironmentFailure {
        ExecutionEnvironment environment;
        try {
            environment = startEnvironment(version, Optional.empty(), InitializationType.ON_DEMAND);
        } catch (IOException e) {
            throw new ExecutionEnvironment.EnvironmentFailure("Runtime.Unknown",
                    "could not start an execution environment: " + e.getMessage());
        }
        environment.markBusy();
        synchronized (lock) {
            onDemand.computeIfAbsent(version.versionArn(), arn -> new ArrayList<>()).add(environment);
        }
        try {
            environment.awaitInit(settings.onDemandInitTimeout());
        } catch (ExecutionEnvironment.EnvironmentFailure failure) {
            discard(environment);
            throw failure;
        }
        environment.markBusy();
        return environment;
    }

    /** After an invocation: an environment still alive becomes idle; a dead one is dropped (and PC replaced). */
    private void release(ExecutionEnvironment environment) {
        if (environment.alive()) {
            environment.markIdle();
            return;
        }
        discard(environment);
    }

    private void discard(ExecutionEnvironment environment) {
        environment.stop();
        allEnvironments.remove(environment);
        Provisioned replaceIn = null;
        synchronized (lock) {
            List<ExecutionEnvironment> pool = onDemand.get(environment.function().versionArn());
            if (pool != null) {
                pool.remove(environment);
            }
            if (environment.provisionedFor().isPresent()) {
                Provisioned config = provisioned.get(key(environment.function().functionName(),
                        environment.provisionedFor().get()));
                if (config != null && config.environments.remove(environment) && !config.released && !closed) {
                    replaceIn = config;
                }
            }
        }
        if (replaceIn != null) {
            Provisioned config = replaceIn;
            provisioningThreads.execute(() -> provisionOne(config));
        }
    }

    private ExecutionEnvironment startEnvironment(FunctionVersion version, Optional<String> provisionedFor,
                                                  InitializationType type) throws IOException {
        ExecutionEnvironment environment = ExecutionEnvironment.start(version, provisionedFor, type,
                jdkFor(version.runtime()), context, logs, launcher, runtimeApiThreads);
        allEnvironments.add(environment);
        return environment;
    }

    private JavaRuntime jdkFor(String runtime) {
        return jdks.computeIfAbsent(runtime, r -> {
            JavaRuntime jdk = JavaRuntime.resolve(r, settings);
            jdk.substitution().ifPresent(note -> System.getLogger(LambdaService.class.getName())
                    .log(System.Logger.Level.WARNING, "runtime " + r + ": " + note));
            return jdk;
        });
    }

    /** Stops spare on-demand environments; drops dead idle provisioned ones, which {@link #discard} replaces. */
    private void reapEnvironments() {
        long cutoff = System.nanoTime() - settings.idleEnvironmentTimeout().toNanos();
        List<ExecutionEnvironment> expired = new ArrayList<>();
        List<ExecutionEnvironment> deadProvisioned = new ArrayList<>();
        synchronized (lock) {
            provisioned.values().forEach(config -> config.environments.stream()
                    .filter(env -> env.state() == ExecutionEnvironment.State.STOPPED && env.initialized())
                    .forEach(deadProvisioned::add));
            for (List<ExecutionEnvironment> pool : onDemand.values()) {
                pool.removeIf(env -> {
                    boolean dead = !env.alive() && env.state() != ExecutionEnvironment.State.BUSY;
                    boolean spare = env.state() == ExecutionEnvironment.State.IDLE && env.lastUsedNanos() < cutoff;
                    if (dead || spare) {
                        expired.add(env);
                    }
                    return dead || spare;
                });
            }
        }
        stopAll(expired);
        deadProvisioned.forEach(this::discard);
    }

    // ---------------------------------------------------------------- permissions

    /** Records a resource-policy statement (not enforced) and returns it as JSON text. */
    public String addPermission(String functionName, Optional<String> qualifier, String statementId, String action,
                                String principal, Optional<String> sourceArn) {
        FunctionReference reference = FunctionReference.parse(functionName, qualifier);
        if (statementId == null || action == null || principal == null) {
            throw invalid("StatementId, Action and Principal are required");
        }
        synchronized (lock) {
            resolve(reference); // the function and qualifier must exist
            FunctionEntry entry = entry(reference.name());
            if (entry.policy.containsKey(statementId)) {
                throw new AwsServiceException("ResourceConflictException", 409, "The statement id (" + statementId
                        + ") provided already exists. Please provide a new statement id, or remove the existing "
                        + "statement.");
            }
            String resource = functionArn(reference.name()) + reference.qualifier().map(q -> ":" + q).orElse("");
            Map<String, Object> statement = new LinkedHashMap<>();
            statement.put("Sid", statementId);
            statement.put("Effect", "Allow");
            statement.put("Principal", principal.contains(".") ? Map.of("Service", principal) : Map.of("AWS", principal));
            statement.put("Action", action);
            statement.put("Resource", resource);
            sourceArn.ifPresent(arn -> statement.put("Condition", Map.of("ArnLike", Map.of("AWS:SourceArn", arn))));
            String json = LambdaControlPlane.toJson(statement);
            entry.policy.put(statementId, json);
            return json;
        }
    }

    /** Removes a statement; removing one that is gone succeeds (CloudFormation deletes are idempotent). */
    public void removePermission(String functionName, String statementId) {
        FunctionReference reference = FunctionReference.parse(functionName);
        synchronized (lock) {
            FunctionEntry entry = functions.get(reference.name());
            if (entry != null) {
                entry.policy.remove(statementId);
            }
        }
    }

    // ---------------------------------------------------------------- diagnostics and lifecycle

    /** A snapshot of every running environment. */
    public List<EnvironmentInfo> environments() {
        return allEnvironments.stream().map(ExecutionEnvironment::info)
                .sorted(Comparator.comparing(EnvironmentInfo::functionName).thenComparing(EnvironmentInfo::id))
                .toList();
    }

    /** The JDK that serves a runtime, with a note when it is not the requested one. */
    public JavaRuntime runtimeJdk(String runtime) {
        return jdkFor(runtime);
    }

    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + context.region() + ":" + context.accountId() + ":function:" + functionName;
    }

    /** Stops every environment and removes unpacked code; idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            provisioned.values().forEach(Provisioned::release);
        }
        reaper.shutdownNow();
        provisioningThreads.shutdownNow();
        stopAll(new ArrayList<>(allEnvironments));
        runtimeApiThreads.shutdownNow();
        launcher.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs anyway.
        }
        if (ownsWorkDirectory) {
            EnvironmentLauncher.deleteTree(workDirectory);
        }
    }

    /** The shutdown hook: SIGTERM or System.exit without close(). */
    private void killAllEnvironments() {
        allEnvironments.forEach(ExecutionEnvironment::kill);
        if (ownsWorkDirectory) {
            EnvironmentLauncher.deleteTree(workDirectory);
        }
    }

    /**
     * Temporary work directories are named after the owning process; one whose process has ended (killed with
     * SIGKILL, so neither close() nor the shutdown hook ran) is removed by the next service that starts.
     */
    private static void removeWorkDirectoriesOfEndedProcesses() {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var entries = Files.list(temp)) {
            entries.filter(path -> path.getFileName().toString().startsWith(WORK_DIRECTORY_PREFIX)).forEach(path -> {
                String rest = path.getFileName().toString().substring(WORK_DIRECTORY_PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash > 0 && rest.substring(0, dash).chars().allMatch(Character::isDigit)
                        && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).map(p -> !p.isAlive()).orElse(true)) {
                    EnvironmentLauncher.deleteTree(path);
                }
            });
        } catch (IOException e) {
            // Leftovers are harmless; the next start tries again.
        }
    }

    private void stopAll(List<ExecutionEnvironment> environments) {
        environments.parallelStream().forEach(ExecutionEnvironment::stop);
        environments.forEach(allEnvironments::remove);
    }

    // ---------------------------------------------------------------- helpers

    private byte[] packageBytes(Code code) {
        if (code == null) {
            throw invalid("Code is required: give S3Bucket and S3Key, or ZipFile");
        }
        if (code.zipFile().isPresent()) {
            return code.zipFile().get();
        }
        if (code.s3Bucket().isEmpty() || code.s3Key().isEmpty()) {
            throw invalid("Code needs both S3Bucket and S3Key (or ZipFile)");
        }
        try {
            return objects.getObject(code.s3Bucket().get(), code.s3Key().get());
        } catch (AwsServiceException e) {
            throw invalid("Error occurred while GetObject. S3 Error Code: " + e.errorCode() + ". S3 Error Message: "
                    + e.getMessage());
        }
    }

    private Path unpack(String functionName, byte[] zip) {
        try {
            Path root = Files.createDirectories(workDirectory.resolve(functionName + "-" + UUID.randomUUID()));
            Path code = Files.createDirectories(root.resolve("task"));
            int entries = 0;
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; entries++) {
                    Path target = code.resolve(entry.getName()).normalize();
                    if (!target.startsWith(code)) {
                        throw invalid("the deployment package has an entry outside its root: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target);
                    }
                }
            }
            if (entries == 0) {
                EnvironmentLauncher.deleteTree(root);
                throw invalid("Could not unzip uploaded file. Please check your file, then try to upload again.");
            }
            return code;
        } catch (IOException e) {
            throw invalid("Could not unzip uploaded file: " + e.getMessage());
        }
    }

    private FunctionEntry entry(String name) {
        FunctionEntry entry = functions.get(name);
        if (entry == null) {
            throw notFound("Function not found: " + functionArn(name));
        }
        return entry;
    }

    private FunctionVersion resolve(FunctionReference reference) {
        FunctionEntry entry = entry(reference.name());
        String qualifier = reference.qualifier().orElse(FunctionVersion.LATEST);
        if (qualifier.equals(FunctionVersion.LATEST)) {
            return entry.latest;
        }
        FunctionVersion version = entry.versions.get(qualifier);
        if (version != null) {
            return version;
        }
        Alias alias = entry.aliases.get(qualifier);
        if (alias != null) {
            return alias.functionVersion().equals(FunctionVersion.LATEST) ? entry.latest
                    : entry.versions.get(alias.functionVersion());
        }
        throw notFound("Function not found: " + functionArn(reference.name()) + ":" + qualifier);
    }

    private void ensureOpen() {
        if (closed) {
            throw new AwsServiceException("ServiceException", 500, "the local Lambda service is closed");
        }
    }

    private static String key(String functionName, String qualifier) {
        return functionName + ":" + qualifier;
    }

    static String now() {
        return LAST_MODIFIED.format(ZonedDateTime.now(ZoneOffset.UTC));
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static AwsServiceException invalid(String message) {
        return new AwsServiceException("InvalidParameterValueException", 400, message);
    }

    static AwsServiceException notFound(String message) {
        return new AwsServiceException("ResourceNotFoundException", 404, message);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One function: $LATEST, published versions, aliases, resource policy. Guarded by the service lock. */
    private static final class FunctionEntry {
        private final FunctionVersion latest;
        // Numeric order for version numbers, and safe for lookups with alias names.
        private final TreeMap<String, FunctionVersion> versions = new TreeMap<>(
                Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()));
        private final Map<String, Alias> aliases = new TreeMap<>();
        private final Map<String, String> policy = new LinkedHashMap<>();
        private int lastVersion;

        private FunctionEntry(FunctionVersion latest) {
            this.latest = latest;
        }
    }

    /** One provisioned-concurrency configuration and its environments. Lists guarded by the service lock. */
    private final class Provisioned {
        private final String functionName;
        private final String qualifier;
        private final FunctionVersion version;
        private final int requested;
        private final String lastModified;
        private final List<ExecutionEnvironment> environments = new ArrayList<>();
        private final CompletableFuture<Void> settled = new CompletableFuture<>();
        private volatile String status = "IN_PROGRESS";
        private volatile String statusReason;
        private boolean released;

        private Provisioned(String functionName, String qualifier, FunctionVersion version, int requested,
                            String lastModified) {
            this.functionName = functionName;
            this.qualifier = qualifier;
            this.version = version;
            this.requested = requested;
            this.lastModified = lastModified;
        }

        ProvisionedConcurrencyStatus status() {
            int ready;
            synchronized (lock) {
                ready = (int) environments.stream().filter(env -> env.initialized() && env.alive()).count();
            }
            return new ProvisionedConcurrencyStatus(requested, ready, ready, status, Optional.ofNullable(statusReason),
                    lastModified);
        }

        void settleIfComplete() {
            if (status().available() >= requested && !"FAILED".equals(status)) {
                status = "READY";
                settled.complete(null);
            }
        }

        void fail(String reason) {
            statusReason = reason;
            status = "FAILED";
            settled.complete(null);
        }

        /** Under the lock: marks it gone and hands back its environments for stopping. */
        List<ExecutionEnvironment> release() {
            released = true;
            settled.complete(null);
            List<ExecutionEnvironment> all = new ArrayList<>(environments);
            environments.clear();
            return all;
        }

        @Override
        public String toString() {
            return functionName + ":" + qualifier;
        }
    }
}
