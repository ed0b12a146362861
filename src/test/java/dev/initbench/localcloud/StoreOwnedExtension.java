package dev.initbench.localcloud;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * A JUnit 5 extension that owns one resource the way Testcontainers' extension owns a container: the resource
 * lives in JUnit's {@link ExtensionContext.Store}, which closes it when its scope ends, whether the tests passed,
 * failed or the setup threw. The field decides the lifetime: a static field starts one resource for the test class
 * ({@code beforeAll}), an instance field a fresh one for every test method ({@code beforeEach}; for a static field
 * the class's resource is found there in the parent store).
 *
 * @param <R> what the store holds and closes
 */
public abstract class StoreOwnedExtension<R extends StoreOwnedExtension.Resource>
        implements BeforeAllCallback, BeforeEachCallback {

    /** A resource the store closes; after that the extension refuses to hand it out. */
    public interface Resource extends AutoCloseable {
        boolean isClosed();
    }

    private final Class<R> type;
    private final String notRunning;
    private volatile R running;

    /**
     * @param type       the resource's class (the store's values are typed)
     * @param notRunning what to say when a test uses the extension where no resource is running: how to fix it
     */
    protected StoreOwnedExtension(Class<R> type, String notRunning) {
        this.type = type;
        this.notRunning = notRunning;
    }

    /** Starts the resource of one scope; called at most once per scope. */
    protected abstract R start();

    @Override
    public final void beforeAll(ExtensionContext context) {
        startIn(context);
    }

    @Override
    public final void beforeEach(ExtensionContext context) {
        startIn(context);
    }

    private void startIn(ExtensionContext context) {
        running = context.getStore(Namespace.create(getClass())).getOrComputeIfAbsent(this, key -> start(), type);
    }

    /** The resource of the current test. */
    protected final R current() {
        R current = running;
        if (current == null || current.isClosed()) {
            throw new IllegalStateException(notRunning);
        }
        return current;
    }

    /** Throws the first of {@code failures} with the others suppressed; returns when there are none. */
    protected static void throwFirst(List<Throwable> failures) throws Exception {
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        if (first instanceof Exception exception) {
            throw exception;
        }
        throw (Error) first;
    }
}
