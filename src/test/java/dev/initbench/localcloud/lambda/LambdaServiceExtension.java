package dev.initbench.localcloud.lambda;

import dev.initbench.functions.FakeSsmEndpoint;
import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.StoreOwnedExtension;
import dev.initbench.localcloud.logs.LogStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Owns a test's local {@link LambdaService}, as {@code LocalCloudExtension} owns a whole local cloud: it creates the
 * service before the test, records the pid of every execution environment the service starts, and puts it into
 * JUnit's {@link ExtensionContext.Store}. When the scope ends the store closes what was opened on the service
 * ({@link #open}), the service and its fake endpoint, and then asserts that none of those environments, and no other
 * runtime-client process of this JVM, is still running. JUnit reports a failure there as a failure of the test (or
 * class) the service belonged to, suppressed into the test's own failure if it had one, whether the test passed,
 * failed or its setup threw.
 *
 * <p>The field decides the lifetime:
 * <pre>{@code
 * @RegisterExtension
 * final LambdaServiceExtension lambda = LambdaServiceExtension.builder()
 *         .settings(s -> s.concurrencyLimit(1)).build();                      // a fresh service for every test
 *
 * @RegisterExtension
 * static final LambdaServiceExtension LAMBDA = LambdaServiceExtension.builder().build();  // one per test class
 * }</pre>
 * In {@code @BeforeAll} (static field), {@code @BeforeEach} or a test the service is running: {@link #service()}.
 * A test's constructor runs before it is, so per-test setup goes into {@code @BeforeEach}.
 */
public final class LambdaServiceExtension extends StoreOwnedExtension<LambdaServiceExtension.Running> {

    /** Where the environments send their AWS calls when the test gives no endpoint: the discard port, unused. */
    private static final URI NO_ENDPOINT = URI.create("http://127.0.0.1:9");

    private final Consumer<LambdaSettings.Builder> settings;
    private final boolean fakeSsm;
    private final Optional<HostMemoryGuard.MemoryReading> memory;

    private LambdaServiceExtension(Builder builder) {
        super(Running.class, "No Lambda service is running: register LambdaServiceExtension with @RegisterExtension "
                + "and use it from @BeforeAll (static field), @BeforeEach or a test, not from the test's constructor or "
                + "field initializers.");
        this.settings = builder.settings;
        this.fakeSsm = builder.fakeSsm;
        this.memory = builder.memory;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected Running start() {
        LambdaSettings.Builder builder = LambdaSettings.builder();
        settings.accept(builder);
        LambdaSettings lambdaSettings = builder.build();
        Optional<FakeSsmEndpoint> ssm = fakeSsm ? Optional.of(startFakeSsm()) : Optional.empty();
        try {
            CloudContext context = LambdaTestSupport.context(ssm.map(FakeSsmEndpoint::endpoint).orElse(NO_ENDPOINT));
            LogStore logs = new LogStore();
            LambdaService service = memory.isPresent()
                    ? new LambdaService(context, LambdaTestSupport.objects(), logs, lambdaSettings, memory.get())
                    : new LambdaService(context, LambdaTestSupport.objects(), logs, lambdaSettings);
            return new Running(service, logs, ssm);
        } catch (RuntimeException | Error e) {
            ssm.ifPresent(FakeSsmEndpoint::close);
            throw e;
        }
    }

    private static FakeSsmEndpoint startFakeSsm() {
        try {
            return new FakeSsmEndpoint();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the fake SSM endpoint on loopback", e);
        }
    }

    /** The running service of the current test. */
    public LambdaService service() {
        return current().service;
    }

    /** The log store the service's environments write their function logs to. */
    public LogStore logs() {
        return current().logs;
    }

    /** The fake SSM endpoint the environments call ({@code AWS_ENDPOINT_URL}); only with {@link Builder#fakeSsm()}. */
    public FakeSsmEndpoint ssm() {
        return current().ssm.orElseThrow(() -> new IllegalStateException(
                "This LambdaServiceExtension has no fake SSM endpoint: build it with LambdaServiceExtension.builder()"
                        + ".fakeSsm()."));
    }

    /**
     * Opens something on the running service that is closed with it (before it, newest first), e.g. an HTTP API
     * service: {@code apis = lambda.open(service -> new HttpApiService(service.context(), service))}.
     */
    public <C extends AutoCloseable> C open(Opener<C> opener) throws Exception {
        Running current = current();
        C opened = Objects.requireNonNull(opener.open(current.service), "opened");
        current.opened.add(opened);
        return opened;
    }

    /** Opens something on a service; may throw what its constructor throws (a server's IOException). */
    @FunctionalInterface
    public interface Opener<C extends AutoCloseable> {
        C open(LambdaService service) throws Exception;
    }

    /** The pid of every execution environment the service has started so far, in no particular order. */
    public List<Long> environmentPids() {
        return List.copyOf(current().pids);
    }

    /** How the service is made; every setting has the default of {@link LambdaSettings#builder()}. */
    public static final class Builder {
        private Consumer<LambdaSettings.Builder> settings = s -> { };
        private boolean fakeSsm;
        private Optional<HostMemoryGuard.MemoryReading> memory = Optional.empty();

        private Builder() {
        }

        /** Customises the service's settings, e.g. {@code .settings(s -> s.concurrencyLimit(1))}. */
        public Builder settings(Consumer<LambdaSettings.Builder> settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Starts a {@link FakeSsmEndpoint} for the environments to call (the service's endpoint), closed after the
         * service; the test sets its answers through {@link #ssm()}.
         */
        public Builder fakeSsm() {
            this.fakeSsm = true;
            return this;
        }

        /** Reads the host's available memory from {@code memory} instead of {@code /proc/meminfo}. */
        Builder memoryReading(HostMemoryGuard.MemoryReading memory) {
            this.memory = Optional.of(Objects.requireNonNull(memory, "memory"));
            return this;
        }

        public LambdaServiceExtension build() {
            return new LambdaServiceExtension(this);
        }
    }

    /**
     * What the store closes: what was opened on the service (newest first), the service (which stops every
     * environment), the fake endpoint; then it asserts that no environment process is left. The first failure is
     * thrown with the others suppressed.
     */
    static final class Running implements StoreOwnedExtension.Resource {
        private final LambdaService service;
        private final LogStore logs;
        private final Optional<FakeSsmEndpoint> ssm;
        private final List<AutoCloseable> opened = new ArrayList<>();
        /** Filled from the pool's threads as environments change state. */
        private final Set<Long> pids = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        Running(LambdaService service, LogStore logs, Optional<FakeSsmEndpoint> ssm) {
            this.service = service;
            this.logs = logs;
            this.ssm = ssm;
            // Every started environment moves to INITIALIZING with its process running, so each pid is heard here.
            service.pool().addListener(transition -> record(transition.environment().pid()));
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        private void record(long pid) {
            if (pid > 0) {
                pids.add(pid);
            }
        }

        @Override
        public void close() throws Exception {
            closed = true;
            List<Throwable> failures = new ArrayList<>();
            service.environments().forEach(environment -> record(environment.pid()));
            for (int i = opened.size() - 1; i >= 0; i--) {
                run(opened.get(i), failures);
            }
            run(service, failures);
            ssm.ifPresent(endpoint -> run(endpoint, failures));
            try {
                LambdaTestSupport.assertNoEnvironmentProcessLeft(List.copyOf(pids));
            } catch (AssertionError e) {
                failures.add(e);
            }
            throwFirst(failures);
        }

        private static void run(AutoCloseable closeable, List<Throwable> failures) {
            try {
                closeable.close();
            } catch (Exception | AssertionError e) {
                failures.add(e);
            }
        }
    }
}
