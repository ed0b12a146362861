package dev.initbench.localcloud.credentials;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * One issued set of temporary credentials and the answers the endpoint owes to whoever signs with them. While the
 * caller is frozen (an execution environment between invocations) its answers are held, as Lambda's frozen microVM
 * receives nothing: an answer that is ready is written only once the caller thaws, and dropped if the session ends
 * first. Thread-safe.
 */
public final class CallerSession implements AutoCloseable {

    /** An answer the endpoint has ready for this caller. */
    public interface Answer {
        /** Writes it to the caller's connection (and closes the exchange). */
        void write();

        /** Abandons it: the caller is gone. */
        void drop();
    }

    private final SessionCredentials credentials;
    private final Consumer<CallerSession> onClose;
    private final Object lock = new Object();
    private final List<Answer> held = new ArrayList<>();
    /** Client addresses (so connections) this session's requests came from, for the new-connection latency. */
    private final Set<InetSocketAddress> connections = new HashSet<>();
    private boolean holding;
    private boolean closed;
    private int writing;

    CallerSession(SessionCredentials credentials, Consumer<CallerSession> onClose) {
        this.credentials = credentials;
        this.onClose = onClose;
    }

    public SessionCredentials credentials() {
        return credentials;
    }

    /** Writes {@code answer} now on this thread, or holds it while answers are held, or drops it once closed. */
    public void answer(Answer answer) {
        boolean write;
        synchronized (lock) {
            if (!closed && holding) {
                held.add(answer);
                return;
            }
            write = !closed;
            if (write) {
                writing++;
            }
        }
        if (write) {
            writeCounted(answer);
        } else {
            answer.drop();
        }
    }

    /**
     * Holds every answer from now on; returns once the answers already being written are written (at most
     * {@code maxWait}), so no answer reaches the caller's buffers after this returns.
     */
    public void holdAnswers(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (lock) {
            holding = true;
            while (writing > 0 && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops holding; the answers held meanwhile are written, in the order they became ready, on {@code writer}. */
    public void releaseAnswers(Executor writer) {
        List<Answer> ready;
        synchronized (lock) {
            holding = false;
            if (closed || held.isEmpty()) {
                return;
            }
            ready = List.copyOf(held);
            held.clear();
            writing += ready.size();
        }
        for (Answer answer : ready) {
            writer.execute(() -> writeCounted(answer));
        }
    }

    /**
     * Records a request from {@code client} (the connection's remote address); true when it is the first from it, so
     * the first on that connection.
     */
    public boolean firstRequestFrom(InetSocketAddress client) {
        synchronized (lock) {
            return connections.add(client);
        }
    }

    /** True while answers are held. */
    public boolean holding() {
        synchronized (lock) {
            return holding;
        }
    }

    /** How many answers are held right now. */
    public int heldCount() {
        synchronized (lock) {
            return held.size();
        }
    }

    /** Revokes the credentials and drops every held answer. Idempotent. */
    @Override
    public void close() {
        List<Answer> dropped;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            dropped = List.copyOf(held);
            held.clear();
            lock.notifyAll();
        }
        onClose.accept(this);
        dropped.forEach(Answer::drop);
    }

    private void writeCounted(Answer answer) {
        try {
            answer.write();
        } finally {
            synchronized (lock) {
                writing--;
                lock.notifyAll();
            }
        }
    }
}
