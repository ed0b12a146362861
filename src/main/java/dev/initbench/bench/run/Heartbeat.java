package dev.initbench.bench.run;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * While a long operation runs (a deploy, a teardown, reading logs back), says every {@code interval} how it is
 * going, so a run that waits minutes on AWS is never silent. The status comes from a supplier called on a daemon
 * thread; a status that cannot be read is reported as such, never thrown into the operation.
 */
final class Heartbeat implements AutoCloseable {

    private final ScheduledExecutorService timer;

    private Heartbeat(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts reporting {@code status} after one interval, then every interval, until {@link #close()}. */
    static Heartbeat every(Duration interval, Supplier<String> status, Consumer<String> progress) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "initbench-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            String message;
            try {
                message = status.get();
            } catch (RuntimeException e) {
                message = "status unavailable: " + e.getMessage();
            }
            progress.accept(message);
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new Heartbeat(timer);
    }

    /** Stops reporting; a status being printed is let finish, so no line appears after this returns. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
