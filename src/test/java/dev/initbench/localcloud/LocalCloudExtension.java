package dev.initbench.localcloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

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
public final class LocalCloudExtension implements BeforeAllCallback, BeforeEachCallback {

    private static final Namespace NAMESPACE = Namespace.create(LocalCloudExtension.class);

    private final Consumer<LocalCloud.Builder> settings;
    private volatile Running running;

    /** A local cloud with the builder's defaults. */
    public LocalCloudExtension() {
        this(builder -> { });
    }

    /** A local cloud with settings, e.g. {@code new LocalCloudExtension(b -> b.region("eu-west-1"))}. */
    public LocalCloudExtension(Consumer<LocalCloud.Builder> settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Reached only for a static field: the cloud lives as long as the test class. */
    @Override
    public void beforeAll(ExtensionContext context) {
        startIn(context);
    }

    /** For a static field the class's cloud is found in the parent store; for an instance field one starts here. */
    @Override
    public void beforeEach(ExtensionContext context) {
        startIn(context);
    }

    private void startIn(ExtensionContext context) {
        running = context.getStore(NAMESPACE).getOrComputeIfAbsent(this, key -> start(), Running.class);
    }

    private Running start() {
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

    private Running current() {
        Running current = running;
        if (current == null || current.closed) {
            throw new IllegalStateException("No local cloud is running: register LocalCloudExtension with "
                    + "@RegisterExtension and use it from @BeforeAll (static field), @BeforeEach or a test.");
        }
        return current;
    }

    /**
     * What the store closes: the clients, newest first, then the cloud (which stops every environment JVM), then
     * the after-close checks run. The first failure is thrown with the others suppressed.
     */
    private static final class Running implements AutoCloseable {
        private final LocalCloud cloud;
        private final List<AutoCloseable> clients = new ArrayList<>();
        private final List<Runnable> afterClose = new ArrayList<>();
        private volatile boolean closed;

        Running(LocalCloud cloud) {
            this.cloud = cloud;
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
            if (!failures.isEmpty()) {
                Throwable first = failures.get(0);
                failures.subList(1, failures.size()).forEach(first::addSuppressed);
                if (first instanceof Exception exception) {
                    throw exception;
                }
                throw (Error) first;
            }
        }
    }
}
