package dev.initbench.localcloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Owns the local cloud of a test class, the way Testcontainers' extension owns a container: it starts the cloud
 * before the tests and puts it into JUnit's {@link ExtensionContext.Store}, which closes it (and every client
 * opened through {@link #client}) when its scope ends, whether the tests passed, failed or the setup threw.
 *
 * <p>The field decides the lifetime, as with Testcontainers:
 * <pre>{@code
 * @RegisterExtension
 * static final LocalCloudExtension CLOUD = new LocalCloudExtension();   // one cloud for all tests of the class
 *
 * @RegisterExtension
 * final LocalCloudExtension cloud = new LocalCloudExtension();          // a fresh cloud for every test method
 * }</pre>
 * In {@code @BeforeAll} (static field) or {@code @BeforeEach} the cloud is already running: {@link #cloud()}.
 */
public final class LocalCloudExtension extends StoreOwnedExtension<LocalCloudExtension.Running> {

    private final Consumer<LocalCloud.Builder> settings;

    /** A local cloud with the builder's defaults. */
    public LocalCloudExtension() {
        this(builder -> { });
    }

    /** A local cloud with settings, e.g. {@code new LocalCloudExtension(b -> b.region("eu-west-1"))}. */
    public LocalCloudExtension(Consumer<LocalCloud.Builder> settings) {
        super(Running.class, "No local cloud is running: register LocalCloudExtension with @RegisterExtension and use "
                + "it from @BeforeAll (static field), @BeforeEach or a test.");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    protected Running start() {
        LocalCloud.Builder builder = LocalCloud.builder();
        settings.accept(builder);
        return new Running(builder.start());
    }

    /** The running cloud of the current test. */
    public LocalCloud cloud() {
        return current().cloud;
    }

    /**
     * Opens a client on the running cloud that is closed with it (before it), e.g.
     * {@code ssm = CLOUD.client(TestClients::ssm)}.
     */
    public <C extends AutoCloseable> C client(Function<LocalCloud, C> factory) {
        Running current = current();
        C client = factory.apply(current.cloud);
        current.clients.add(client);
        return client;
    }

    /**
     * A check to run once the cloud is closed, e.g. that no environment JVM outlived it; its failure fails the test
     * class (or test) the cloud belonged to.
     */
    public void afterClose(Runnable check) {
        current().afterClose.add(Objects.requireNonNull(check, "check"));
    }

    /**
     * What the store closes: the clients, newest first, then the cloud (which stops every environment JVM), then
     * the after-close checks run. The first failure is thrown with the others suppressed.
     */
    static final class Running implements StoreOwnedExtension.Resource {
        private final LocalCloud cloud;
        private final List<AutoCloseable> clients = new ArrayList<>();
        private final List<Runnable> afterClose = new ArrayList<>();
        private volatile boolean closed;

        Running(LocalCloud cloud) {
            this.cloud = cloud;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public void close() throws Exception {
            closed = true;
            List<Throwable> failures = new ArrayList<>();
            for (int i = clients.size() - 1; i >= 0; i--) {
                try {
                    clients.get(i).close();
                } catch (Exception e) {
                    failures.add(e);
                }
            }
            cloud.close();
            for (Runnable check : afterClose) {
                try {
                    check.run();
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
            }
            throwFirst(failures);
        }
    }
}
