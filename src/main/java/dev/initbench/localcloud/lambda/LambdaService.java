package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.credentials.CredentialRegistry;
import dev.initbench.localcloud.invoke.FunctionInvoker;
import dev.initbench.localcloud.invoke.InvocationResult;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.RestService;
import dev.initbench.localcloud.resource.ResourceProvider;
import dev.initbench.localcloud.s3.ObjectReader;
import dev.initbench.localcloud.server.LoopbackServers;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local Lambda service: functions, published versions, aliases, provisioned concurrency, and execution
 * environments that are real processes running the runtime interface client of their runtime family.
 *
 * <p>A façade over the parts that own each piece of state: {@link FunctionRegistry} (functions, versions, aliases,
 * validation), {@link DeploymentPackages} (packages and the work directory), {@link ProvisionedConcurrency}
 * (configurations and their allocation), {@link EnvironmentPool} (every environment's lifecycle, leasing,
 * throttling, reaping), {@link FunctionPolicies} (permissions) and {@link RuntimeCatalog} (runtime families).
 * Routing is the pool's (see there). Thread-safe.
 */
public final class LambdaService implements FunctionInvoker, AutoCloseable {

    static {
        LoopbackServers.disableNagle();
    }

    private static final System.Logger LOG = System.getLogger(LambdaService.class.getName());
    private static final DateTimeFormatter LAST_MODIFIED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final CloudContext context;
    private final LambdaSettings settings;
    private final DeploymentPackages packages;
    private final RuntimeCatalog runtimes;
    private final FunctionRegistry registry;
    private final FunctionPolicies policies = new FunctionPolicies();
    private final EnvironmentLauncher launcher = new EnvironmentLauncher();
    private final ExecutorService runtimeApiThreads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "lambda-runtime-api");
        thread.setDaemon(true);
        return thread;
    });
    /** Cold starts of invocations nobody waits on a thread for ({@link #invokeAsync}). */
    private final ExecutorService coldStartThreads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "lambda-cold-start");
        thread.setDaemon(true);
        return thread;
    });
    private final EnvironmentPool pool;
    private final Optional<EnvironmentCgroups> cgroups;
    private final Optional<FreezeMethod> freezeMethod;
    private final ProvisionedConcurrency provisioned;
    private final Thread shutdownHook = new Thread(this::killAllEnvironments, "lambda-environments-shutdown");
    private final Object lifecycle = new Object();
    private boolean closed;

    /** A service whose environments' session credentials only it knows (for tests against fake endpoints). */
    public LambdaService(CloudContext context, ObjectReader objects, LogStore logs, LambdaSettings settings) {
        this(context, new CredentialRegistry(context.accessKeyId(), context.secretAccessKey()), objects, logs,
                settings);
    }

    /**
     * @param credentials where each environment's session credentials are registered; the endpoint the functions
     *                    call must verify against the same registry
     */
    public LambdaService(CloudContext context, CredentialRegistry credentials, ObjectReader objects, LogStore logs,
                         LambdaSettings settings) {
        this(context, credentials, objects, logs, settings, HostMemory::availableMb);
    }

    /** As above, reading the host's available memory from {@code memory} (tests fake it). */
    LambdaService(CloudContext context, ObjectReader objects, LogStore logs, LambdaSettings settings,
                  HostMemoryGuard.MemoryReading memory) {
        this(context, new CredentialRegistry(context.accessKeyId(), context.secretAccessKey()), objects, logs,
                settings, memory);
    }

    private LambdaService(CloudContext context, CredentialRegistry credentials, ObjectReader objects, LogStore logs,
                          LambdaSettings settings, HostMemoryGuard.MemoryReading memory) {
        this.context = Objects.requireNonNull(context, "context");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.packages = new DeploymentPackages(Objects.requireNonNull(objects, "objects"), settings.workDirectory());
        this.runtimes = new RuntimeCatalog(List.of(new JavaRuntimeFamily(packages.workDirectory()),
                NodeRuntimeFamily.fromBuild()), settings);
        this.registry = new FunctionRegistry(context, runtimes.supported());
        EnvironmentCgroups.Availability cgroupAvailability = EnvironmentCgroups.create();
        this.cgroups = cgroupAvailability.cgroups();
        Optional<FreezeMethod> freezeMethod = settings.freezeIdleEnvironments()
                ? Optional.of(cgroups.isPresent() ? FreezeMethod.CGROUP_V2 : FreezeMethod.SIGNALS) : Optional.empty();
        LOG.log(cgroups.isPresent() ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                "local Lambda: " + (freezeMethod.isEmpty() ? "idle environments are not frozen (setting off)"
                        : "idle environments are frozen with " + freezeMethod.get()) + "; environment cgroups: "
                        + cgroupAvailability.reason()
                        + (cgroups.isPresent() ? "" : " (so CPU time of threads that end between readings is lost)"));
        this.freezeMethod = freezeMethod;
        this.pool = new EnvironmentPool(settings, new EnvironmentHost(context,
                Objects.requireNonNull(credentials, "credentials"), Objects.requireNonNull(logs, "logs"), launcher,
                runtimeApiThreads, cgroups, freezeMethod), memory);
        this.provisioned = new ProvisionedConcurrency(pool, runtimes, settings);
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
    public record ProvisionedConcurrencyStatus(int requested, int available, int allocated,
                                               ProvisionedConcurrencyState status, Optional<String> statusReason,
                                               String lastModified) {
    }

    public FunctionVersion createFunction(FunctionSpec spec) {
        FunctionRegistry.ValidatedSpec validated = registry.validate(spec);
        byte[] zip = packages.fetch(spec.code());
        ensureOpen();
        registry.requireAbsent(spec.functionName());
        DeploymentPackages.Unpacked code = packages.unpack(spec.functionName(), zip);
        try {
            try {
                runtimes.prepared(spec.runtime());
            } catch (IllegalArgumentException notInstalled) {
                // A runtime the local cloud serves but cannot run here (e.g. Node.js not installed): say what to do.
                throw LambdaErrors.invalid(notInstalled.getMessage());
            }
            return registry.add(validated, code);
        } catch (RuntimeException e) {
            packages.delete(code.codeDirectory());
            throw e;
        }
    }

    /** The configuration of {@code $LATEST}, a version, or the version an alias points at. */
    public FunctionVersion getFunction(String functionName, Optional<String> qualifier) {
        return registry.resolve(FunctionReference.parse(functionName, qualifier));
    }

    /** {@code $LATEST} of each function whose name sorts after {@code marker}, in name order, at most {@code limit}. */
    public List<FunctionVersion> listFunctions(Optional<String> marker, int limit) {
        return registry.list(marker, limit);
    }

    /** Deletes the function (no qualifier) or one version, and stops every environment that served it. */
    public void deleteFunction(String functionName, Optional<String> qualifier) {
        FunctionReference reference = FunctionReference.parse(functionName, qualifier);
        if (reference.qualifier().isPresent()) {
            String version = reference.qualifier().get();
            FunctionVersion removed = registry.removeVersion(reference.name(), version);
            provisioned.remove(reference.name(), version);
            pool.stopOnDemand(removed.versionArn(), "version deleted");
            return;
        }
        List<java.nio.file.Path> formerCode = registry.formerCodeDirectories(reference.name());
        FunctionVersion latest = registry.removeFunction(reference.name());
        provisioned.removeFunction(reference.name());
        pool.stopFunction(reference.name(), "function deleted");
        policies.forget(reference.name());
        packages.delete(latest.codeDirectory());
        formerCode.forEach(packages::delete);
    }

    /**
     * UpdateFunctionConfiguration and UpdateFunctionCode in one, as CloudFormation applies a changed
     * {@code AWS::Lambda::Function}: {@code $LATEST} gets the new configuration and, when the package differs, the
     * new code in a directory of its own (published versions keep theirs). Its on-demand environments are stopped
     * so the next invocation of {@code $LATEST} initializes with the new configuration; published versions,
     * aliases and their provisioned environments are unchanged.
     */
    public FunctionVersion updateFunction(FunctionSpec spec) {
        FunctionRegistry.ValidatedSpec validated = registry.validate(spec);
        byte[] zip = packages.fetch(spec.code());
        ensureOpen();
        FunctionVersion current = registry.resolve(FunctionReference.parse(spec.functionName()));
        DeploymentPackages.Unpacked code = packages.unpack(spec.functionName(), zip);
        if (code.codeSha256().equals(current.codeSha256())) {
            packages.delete(code.codeDirectory());
            code = new DeploymentPackages.Unpacked(current.codeDirectory(), current.codeSize(), current.codeSha256());
        }
        DeploymentPackages.Unpacked newCode = code;
        try {
            runtimes.prepared(spec.runtime());
            FunctionVersion previous = registry.replaceLatest(validated, newCode);
            pool.stopOnDemand(previous.versionArn(), "function updated");
            return registry.resolve(FunctionReference.parse(spec.functionName()));
        } catch (RuntimeException e) {
            if (!newCode.codeDirectory().equals(current.codeDirectory())) {
                packages.delete(newCode.codeDirectory());
            }
            throw e;
        }
    }

    public FunctionVersion publishVersion(String functionName, Optional<String> description) {
        return registry.publish(FunctionReference.parse(functionName).name(), description);
    }

    public Alias createAlias(String functionName, String name, String functionVersion, Optional<String> description) {
        return registry.createAlias(FunctionReference.parse(functionName).name(), name, functionVersion, description);
    }

    /**
     * UpdateAlias: points the alias at another published version (or {@code $LATEST}) with a new description.
     * Provisioned concurrency already on the alias keeps serving the version it was allocated for until it is put
     * again.
     */
    public Alias updateAlias(String functionName, String name, String functionVersion, Optional<String> description) {
        return registry.updateAlias(FunctionReference.parse(functionName).name(), name, functionVersion, description);
    }

    public Alias getAlias(String functionName, String name) {
        return registry.getAlias(FunctionReference.parse(functionName).name(), name);
    }

    /** Deletes the alias and its provisioned concurrency, stopping those environments. */
    public void deleteAlias(String functionName, String name) {
        String function = FunctionReference.parse(functionName).name();
        if (registry.removeAlias(function, name)) {
            provisioned.remove(function, name);
        }
    }

    // ---------------------------------------------------------------- provisioned concurrency

    /** Starts {@code count} provisioned environments for an alias or version; status IN_PROGRESS until all init. */
    public ProvisionedConcurrencyStatus putProvisionedConcurrency(String functionName, String qualifier, int count) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        if (reference.qualifier().isEmpty() || reference.qualifier().get().equals(FunctionVersion.LATEST)) {
            throw LambdaErrors.invalid("Provisioned Concurrency Configs cannot be applied to unpublished function "
                    + "versions: give an alias or a published version as Qualifier");
        }
        if (count < 1) {
            throw LambdaErrors.invalid("ProvisionedConcurrentExecutions must be at least 1, was " + count);
        }
        ensureOpen();
        FunctionVersion version = registry.resolve(reference);
        return provisioned.put(reference.name(), reference.qualifier().get(), version, count);
    }

    public ProvisionedConcurrencyStatus getProvisionedConcurrency(String functionName, String qualifier) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        registry.resolve(FunctionReference.parse(reference.name()));
        return reference.qualifier().flatMap(q -> provisioned.status(reference.name(), q))
                .orElseThrow(LambdaService::noProvisionedConcurrency);
    }

    /** Waits until the configuration is READY or FAILED (or the timeout passes) and returns its status. */
    public ProvisionedConcurrencyStatus awaitProvisionedConcurrency(String functionName, String qualifier,
                                                                    Duration timeout) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        return provisioned.await(reference.name(), reference.qualifier().orElse(""), timeout)
                .orElseGet(() -> getProvisionedConcurrency(functionName, qualifier));
    }

    public void deleteProvisionedConcurrency(String functionName, String qualifier) {
        FunctionReference reference = FunctionReference.parse(functionName, Optional.ofNullable(qualifier));
        registry.resolve(FunctionReference.parse(reference.name()));
        provisioned.remove(reference.name(), reference.qualifier().orElse(""));
    }

    // ---------------------------------------------------------------- invoke

    /**
     * Invokes synchronously (RequestResponse).
     *
     * @throws dev.initbench.localcloud.invoke.InvocationThrottledException {@code TooManyRequestsException} (429)
     *                             above the concurrency limit
     * @throws AwsServiceException {@code ResourceNotFoundException} (404) for an unknown function or qualifier
     */
    @Override
    public InvocationResult invoke(String functionName, Optional<String> qualifier, byte[] payload) {
        try {
            return invokeResolved(functionName, qualifier, payload, Runnable::run).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Invokes (RequestResponse) with no thread waiting for the answer: a warm invocation completes on the Runtime
     * API's thread that receives the function's answer; a cold start runs on the service's invoke threads.
     *
     * @throws dev.initbench.localcloud.invoke.InvocationThrottledException at once, above the concurrency limit
     * @throws AwsServiceException at once, {@code ResourceNotFoundException} (404) for an unknown function or
     *                             qualifier
     */
    @Override
    public CompletableFuture<InvocationResult> invokeAsync(String functionName, Optional<String> qualifier,
                                                           byte[] payload) {
        return invokeResolved(functionName, qualifier, payload, coldStartThreads);
    }

    private CompletableFuture<InvocationResult> invokeResolved(String functionName, Optional<String> qualifier,
                                                               byte[] payload, Executor coldStarts) {
        FunctionReference reference = FunctionReference.parse(functionName, qualifier);
        ensureOpen();
        FunctionVersion version = registry.resolve(reference);
        String invokedArn = registry.functionArn(reference.name()) + reference.qualifier().map(q -> ":" + q).orElse("");
        Optional<ProvisionedAllocation> allocation = reference.qualifier()
                .flatMap(q -> provisioned.find(reference.name(), q));
        return pool.invokeAsync(version, allocation, runtimes.prepared(version.runtime()), invokedArn, payload,
                coldStarts);
    }

    // ---------------------------------------------------------------- permissions

    /** Records a resource-policy statement (not enforced) and returns it as JSON text. */
    public String addPermission(String functionName, Optional<String> qualifier, String statementId, String action,
                                String principal, Optional<String> sourceArn) {
        FunctionReference reference = FunctionReference.parse(functionName, qualifier);
        registry.resolve(reference); // the function and qualifier must exist
        String resource = registry.functionArn(reference.name()) + reference.qualifier().map(q -> ":" + q).orElse("");
        return policies.add(reference.name(), resource, statementId, action, principal, sourceArn);
    }

    /** Removes a statement; removing one that is gone succeeds (CloudFormation deletes are idempotent). */
    public void removePermission(String functionName, String statementId) {
        policies.remove(FunctionReference.parse(functionName).name(), statementId);
    }

    // ---------------------------------------------------------------- diagnostics and lifecycle

    /** A snapshot of every running environment. */
    public List<EnvironmentInfo> environments() {
        return pool.environments();
    }

    /** The installation that serves a runtime, with a note when it is not the requested one. */
    public RuntimeInstallation runtimeInstallation(String runtime) {
        return runtimes.prepared(runtime).installation();
    }

    public String functionArn(String functionName) {
        return registry.functionArn(functionName);
    }

    /** How idle environments are frozen; empty when they are not. */
    Optional<FreezeMethod> freezeMethod() {
        return freezeMethod;
    }

    /** The pool, for tests of leasing. */
    EnvironmentPool pool() {
        return pool;
    }

    /** The chosen runtime of a runtime identifier, for tests of leasing. */
    PreparedRuntime preparedRuntime(String runtime) {
        return runtimes.prepared(runtime);
    }

    /** Stops every environment and removes unpacked code; idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        provisioned.close();
        pool.close();
        cgroups.ifPresent(EnvironmentCgroups::close);
        runtimeApiThreads.shutdownNow();
        coldStartThreads.shutdownNow();
        launcher.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook runs anyway.
        }
        packages.close();
    }

    /** The shutdown hook: SIGTERM or System.exit without close(). */
    private void killAllEnvironments() {
        pool.killAll();
        packages.close();
    }

    private void ensureOpen() {
        synchronized (lifecycle) {
            if (closed) {
                throw LambdaErrors.serviceClosed();
            }
        }
    }

    private static AwsServiceException noProvisionedConcurrency() {
        return new AwsServiceException("ProvisionedConcurrencyConfigNotFoundException", 404,
                "No Provisioned Concurrency Config found for this function");
    }

    static String now() {
        return LAST_MODIFIED.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
}
