package dev.initbench.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * An open-model load generator: sends each request at its scheduled time whether or not earlier requests have
 * been answered, and measures latency from that <em>intended</em> send time, so a slow answer or a busy client
 * cannot hide latency (coordinated omission).
 *
 * <p><b>Same schedule for all endpoints.</b> Each arrival sends one request to every endpoint at the same
 * intended time, so both see the same offered load at the same moments (machine load, network state, scale-out
 * of the service). Interleaving would shift one endpoint by half an interval and let a time-varying condition
 * favour one of them. Which endpoint is handed to the client first alternates from arrival to arrival, so neither
 * is systematically first.
 *
 * <p><b>Bounded in-flight requests.</b> At most {@link LoadPlan#maxInFlightPerEndpoint()} requests per endpoint are
 * outstanding. A request due while the bound is reached is not dropped: it waits (FIFO) for a free slot and its
 * latency still counts from its intended time, so the wait shows in the percentiles. Its deadline is its intended
 * time plus {@link LoadPlan#requestTimeout()}: if no slot frees up before it, it ends as {@link Outcome#TIMEOUT}
 * without being sent ({@link RequestRecord#sent()} is false). Bounds per endpoint keep one slow endpoint from
 * starving the other.
 *
 * <p><b>Bounded in time.</b> A run takes at most {@link LoadPlan#maximumRunTime()}; a request still unanswered then
 * (the client failed to report its own timeout) ends as TIMEOUT. Every scheduled request ends as exactly one
 * {@link Outcome}.
 *
 * <p><b>Lean on CPU.</b> On the local target the generator shares the machine with the execution environments it
 * measures, so every CPU second it takes is taken from them. Plain {@code http} endpoints are driven by
 * {@link PlainHttpClient} (keep-alive HTTP/1.1 on one non-blocking I/O thread); {@code https} endpoints by the JDK
 * {@link HttpClient} (HTTP/1.1, no redirects), whose TLS the lean client does not do. The dispatcher parks until
 * each arrival is due instead of spinning: parking overshoots by tens of microseconds, far inside the schedule's
 * tolerance. Each run has its own clients on daemon threads, closed at its end; the first run in a JVM first warms
 * the code path against a throwaway loopback server ({@link ClientWarmUp}), never against the plan's endpoints.
 * Runs may be made one after another.
 */
public final class LoadGenerator {

    /** Extra time after the last deadline for the client to report outcomes. */
    public static final Duration COMPLETION_MARGIN = Duration.ofSeconds(5);
    /** Response bodies are kept up to this many characters (the functions answer well under 1 KB). */
    public static final int MAX_BODY_CHARS = 16 * 1024;

    private LoadGenerator() {
    }

    /** Runs the plan without progress reporting. */
    public static LoadResult run(LoadPlan plan) throws InterruptedException {
        return run(plan, progress -> { });
    }

    /**
     * Runs the plan on the calling thread (the dispatcher) and returns when every request has an outcome.
     *
     * @param progress called on the calling thread every {@link LoadPlan#progressInterval()} and once at the end
     * @throws InterruptedException when the calling thread is interrupted; the run is abandoned
     */
    public static LoadResult run(LoadPlan plan, Consumer<LoadProgress> progress) throws InterruptedException {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(progress, "progress");
        ClientWarmUp.ensureWarm();
        return execute(plan, progress);
    }

    /**
     * Warms the generator's own HTTP client now (once per JVM, against a throwaway loopback server; {@link #run} does
     * it otherwise), so that what is measured from here on, e.g. the host's load, starts with the load itself.
     */
    public static void warmUpClient() throws InterruptedException {
        ClientWarmUp.ensureWarm();
    }

    /** Which client drives plain-http endpoints; https always goes through the JDK client. */
    enum PlainHttpTransport {
        /** {@link PlainHttpClient}: the default. */
        LEAN,
        /** The JDK HttpClient, as for https: lets the tests run the https code path against loopback http. */
        JDK
    }

    static LoadResult execute(LoadPlan plan, Consumer<LoadProgress> progress) throws InterruptedException {
        return execute(plan, progress, PlainHttpTransport.LEAN);
    }

    static LoadResult execute(LoadPlan plan, Consumer<LoadProgress> progress, PlainHttpTransport transport)
            throws InterruptedException {
        boolean lean = transport == PlainHttpTransport.LEAN;
        boolean anyTls = !lean || plan.endpoints().stream().anyMatch(e -> !isPlainHttp(e));
        ExecutorService executor = anyTls ? Executors.newCachedThreadPool(daemonThreads()) : null;
        PlainHttpClient plain = new PlainHttpClient("initbench-load-io");
        try {
            HttpClient client = !anyTls ? null : HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(plan.requestTimeout())
                    .executor(executor)
                    .build();
            return new Run(plan, plain, lean, client, executor, progress).execute();
        } finally {
            plain.close();
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    private static boolean isPlainHttp(LoadPlan.Endpoint endpoint) {
        return "http".equalsIgnoreCase(endpoint.uri().getScheme());
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "initbench-load-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One scheduled request while it is pending. */
    private static final class Scheduled {
        final int sequence;
        final LoadPlan.Phase phase;
        final int phaseIndex;
        final long arrival;
        final long intendedNanos;
        volatile long actualSendNanos = -1;

        Scheduled(int sequence, LoadPlan.Phase phase, int phaseIndex, long arrival, long intendedNanos) {
            this.sequence = sequence;
            this.phase = phase;
            this.phaseIndex = phaseIndex;
            this.arrival = arrival;
            this.intendedNanos = intendedNanos;
        }
    }

    private static final class Run {
        private final LoadPlan plan;
        private final PlainHttpClient plain;
        private final HttpClient client;
        private final ExecutorService executor;
        /** The URI of each phase and endpoint, built once: [phase][endpoint]. */
        private final URI[][] uris;
        private final Consumer<LoadProgress> progress;
        private final long timeoutNanos;
        private final long total;
        private final Lane[] lanes;
        private final AtomicReferenceArray<RequestRecord> records;
        private final AtomicReferenceArray<Scheduled> schedule;
        private final CountDownLatch unfinished;
        private final AtomicLongArray outcomeCounts = new AtomicLongArray(Outcome.values().length);
        private final AtomicLong dispatched = new AtomicLong();
        private long startNanos;

        Run(LoadPlan plan, PlainHttpClient plain, boolean lean, HttpClient client, ExecutorService executor,
            Consumer<LoadProgress> progress) {
            this.plan = plan;
            this.plain = plain;
            this.client = client;
            this.executor = executor;
            this.progress = progress;
            this.timeoutNanos = plan.requestTimeout().toNanos();
            this.total = plan.scheduledRequests();
            this.lanes = new Lane[plan.endpoints().size()];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = new Lane(this, plan.endpoints().get(i), i, lean && isPlainHttp(plan.endpoints().get(i)));
            }
            this.uris = new URI[plan.phases().size()][lanes.length];
            for (int p = 0; p < uris.length; p++) {
                for (int e = 0; e < lanes.length; e++) {
                    uris[p][e] = plan.phases().get(p).uriFor(plan.endpoints().get(e));
                }
            }
            this.records = new AtomicReferenceArray<>((int) total);
            this.schedule = new AtomicReferenceArray<>((int) total);
            this.unfinished = new CountDownLatch((int) total);
        }

        LoadResult execute() throws InterruptedException {
            long intervalNanos = plan.progressInterval().toNanos();
            Instant startedAt = Instant.now();
            startNanos = System.nanoTime();
            long nextProgress = startNanos + intervalNanos;
            long arrival = 0;
            long phaseStart = 0;
            for (int phaseIndex = 0; phaseIndex < plan.phases().size(); phaseIndex++) {
                LoadPlan.Phase phase = plan.phases().get(phaseIndex);
                long arrivals = phase.arrivals();
                for (long j = 0; j < arrivals; j++) {
                    long intended = phaseStart + phase.arrivalOffsetNanos(j);
                    nextProgress = waitUntil(startNanos + intended, nextProgress, intervalNanos, phase.name());
                    dispatch(phase, phaseIndex, arrival, intended);
                    arrival++;
                }
                phaseStart += phase.duration().toNanos();
            }
            long hardDeadline = startNanos + phaseStart + timeoutNanos + COMPLETION_MARGIN.toNanos();
            while (true) {
                long now = System.nanoTime();
                long waitNanos = Math.min(nextProgress, hardDeadline) - now;
                if (waitNanos > 0 && unfinished.await(waitNanos, TimeUnit.NANOSECONDS)) {
                    break;
                }
                if (System.nanoTime() >= hardDeadline) {
                    abandonUnfinished();
                    break;
                }
                expireWaiting();
                progress.accept(snapshot(""));
                nextProgress += intervalNanos;
            }
            progress.accept(snapshot(""));
            List<RequestRecord> result = new ArrayList<>((int) total);
            for (int i = 0; i < total; i++) {
                result.add(records.get(i));
            }
            return new LoadResult(plan, startedAt, Instant.now(), result);
        }

        /** Waits until {@code target} (System.nanoTime), reporting progress when due; returns the next due time. */
        private long waitUntil(long target, long nextProgress, long intervalNanos, String phase)
                throws InterruptedException {
            while (true) {
                long now = System.nanoTime();
                if (now >= target) {
                    return nextProgress;
                }
                if (now >= nextProgress) {
                    expireWaiting();
                    progress.accept(snapshot(phase));
                    nextProgress = Math.max(nextProgress + intervalNanos, now + 1);
                    continue;
                }
                LockSupport.parkNanos(Math.min(target, nextProgress) - now);
                if (Thread.interrupted()) {
                    throw new InterruptedException("load run interrupted");
                }
            }
        }

        private void dispatch(LoadPlan.Phase phase, int phaseIndex, long arrival, long intended) {
            int count = lanes.length;
            for (int k = 0; k < count; k++) {
                // Alternate which endpoint goes first, so neither is systematically handed to the client first.
                int laneIndex = arrival % 2 == 0 ? k : count - 1 - k;
                int sequence = (int) (arrival * count + laneIndex);
                Scheduled scheduled = new Scheduled(sequence, phase, phaseIndex, arrival, intended);
                schedule.set(sequence, scheduled);
                dispatched.incrementAndGet();
                lanes[laneIndex].submit(scheduled);
            }
        }

        private void expireWaiting() {
            for (Lane lane : lanes) {
                lane.expireWaiting();
            }
        }

        long deadlineNanos(Scheduled scheduled) {
            return startNanos + scheduled.intendedNanos + timeoutNanos;
        }

        void send(Lane lane, Scheduled scheduled, long remainingNanos) {
            long now = System.nanoTime();
            scheduled.actualSendNanos = now - startNanos;
            URI uri = uris[scheduled.phaseIndex][lane.index];
            if (lane.plainHttp) {
                plain.send(uri, now + remainingNanos, new PlainHttpClient.Listener() {
                    @Override
                    public void answered(int status, String body) {
                        completeAnswered(lane, scheduled, status, body);
                        lane.released();
                    }

                    @Override
                    public void failed(Outcome outcome, String error) {
                        complete(lane, scheduled, latencyNow(scheduled), outcome, 0, "", error);
                        lane.released();
                    }
                });
                return;
            }
            CompletableFuture<HttpResponse<String>> exchange;
            try {
                HttpRequest request = HttpRequest.newBuilder(uri)
                        .GET()
                        .timeout(Duration.ofNanos(remainingNanos))
                        .header("User-Agent", "lambda-init-bench")
                        .build();
                exchange = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            } catch (RuntimeException e) {
                exchange = CompletableFuture.failedFuture(e);
            }
            exchange.orTimeout(remainingNanos, TimeUnit.NANOSECONDS)
                    .whenCompleteAsync((response, failure) -> {
                        finish(lane, scheduled, response, failure);
                        lane.released();
                    }, executor);
        }

        private void finish(Lane lane, Scheduled scheduled, HttpResponse<String> response, Throwable failure) {
            if (failure != null) {
                Throwable cause = unwrap(failure);
                Outcome outcome = cause instanceof HttpTimeoutException || cause instanceof TimeoutException
                        ? Outcome.TIMEOUT : Outcome.CONNECTION_ERROR;
                complete(lane, scheduled, latencyNow(scheduled), outcome, 0, "", cause.getClass().getSimpleName()
                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
                return;
            }
            completeAnswered(lane, scheduled, response.statusCode(), response.body() == null ? "" : response.body());
        }

        private void completeAnswered(Lane lane, Scheduled scheduled, int status, String body) {
            long latency = latencyNow(scheduled);
            String kept = body.length() > MAX_BODY_CHARS ? body.substring(0, MAX_BODY_CHARS) : body;
            complete(lane, scheduled, latency, status >= 200 && status < 300 ? Outcome.SUCCESS : Outcome.HTTP_ERROR,
                    status, kept, "");
        }

        private long latencyNow(Scheduled scheduled) {
            return System.nanoTime() - startNanos - scheduled.intendedNanos;
        }

        void completeUnsent(Lane lane, Scheduled scheduled) {
            complete(lane, scheduled, latencyNow(scheduled), Outcome.TIMEOUT, 0, "",
                    "not sent: waited for a free in-flight slot until its deadline (maxInFlightPerEndpoint "
                            + plan.maxInFlightPerEndpoint() + ")");
        }

        private void complete(Lane lane, Scheduled scheduled, long latency, Outcome outcome, int status, String body,
                              String error) {
            RequestRecord record = new RequestRecord(lane.endpoint.name(), scheduled.phase.name(), scheduled.arrival,
                    scheduled.intendedNanos, scheduled.actualSendNanos, latency, outcome, status, body, error);
            if (records.compareAndSet(scheduled.sequence, null, record)) {
                outcomeCounts.incrementAndGet(outcome.ordinal());
                unfinished.countDown();
            }
        }

        /** Ends every request still without an outcome at the hard deadline as TIMEOUT. */
        private void abandonUnfinished() {
            for (int i = 0; i < total; i++) {
                Scheduled scheduled = schedule.get(i);
                if (records.get(i) == null) {
                    Lane lane = lanes[i % lanes.length];
                    complete(lane, scheduled, latencyNow(scheduled), Outcome.TIMEOUT, 0, "",
                            "no outcome reported by the HTTP client by the run's hard deadline");
                }
            }
        }

        private LoadProgress snapshot(String phase) {
            Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
            long completed = 0;
            for (Outcome outcome : Outcome.values()) {
                long count = outcomeCounts.get(outcome.ordinal());
                outcomes.put(outcome, count);
                completed += count;
            }
            long inFlight = 0;
            long waiting = 0;
            for (Lane lane : lanes) {
                synchronized (lane) {
                    inFlight += lane.inFlight;
                    waiting += lane.waiting.size();
                }
            }
            return new LoadProgress(phase, Duration.ofNanos(System.nanoTime() - startNanos), plan.scheduleDuration(),
                    dispatched.get(), total, completed, inFlight, waiting, outcomes);
        }

        private static Throwable unwrap(Throwable failure) {
            Throwable cause = failure;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }
    }

    /** The requests of one endpoint: at most maxInFlight sent and unanswered, the rest waiting in order. */
    private static final class Lane {
        private final Run run;
        private final LoadPlan.Endpoint endpoint;
        private final int index;
        private final boolean plainHttp;
        private final int maxInFlight;
        private final ArrayDeque<Scheduled> waiting = new ArrayDeque<>();
        private int inFlight;

        Lane(Run run, LoadPlan.Endpoint endpoint, int index, boolean plainHttp) {
            this.run = run;
            this.endpoint = endpoint;
            this.index = index;
            this.plainHttp = plainHttp;
            this.maxInFlight = run.plan.maxInFlightPerEndpoint();
        }

        void submit(Scheduled scheduled) {
            synchronized (this) {
                waiting.addLast(scheduled);
            }
            pump();
        }

        void released() {
            synchronized (this) {
                inFlight--;
            }
            pump();
        }

        /** Sends waiting requests while slots are free; those past their deadline end as TIMEOUT unsent. */
        private void pump() {
            while (true) {
                Scheduled next;
                synchronized (this) {
                    if (inFlight >= maxInFlight || waiting.isEmpty()) {
                        return;
                    }
                    next = waiting.pollFirst();
                    inFlight++;
                }
                long remaining = run.deadlineNanos(next) - System.nanoTime();
                if (remaining <= 0) {
                    run.completeUnsent(this, next);
                    synchronized (this) {
                        inFlight--;
                    }
                    continue;
                }
                run.send(this, next, remaining);
            }
        }

        /** Ends waiting requests whose deadline has passed (the queue is in deadline order). */
        void expireWaiting() {
            long now = System.nanoTime();
            while (true) {
                Scheduled head;
                synchronized (this) {
                    head = waiting.peekFirst();
                    if (head == null || run.deadlineNanos(head) > now) {
                        return;
                    }
                    waiting.pollFirst();
                }
                run.completeUnsent(this, head);
            }
        }
    }
}
