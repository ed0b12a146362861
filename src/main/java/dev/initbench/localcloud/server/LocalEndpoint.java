package dev.initbench.localcloud.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.initbench.localcloud.credentials.CallerSession;
import dev.initbench.localcloud.credentials.CredentialRegistry;
import dev.initbench.localcloud.protocol.AuthenticationFailure;
import dev.initbench.localcloud.protocol.AwsRequest;
import dev.initbench.localcloud.protocol.AwsResponse;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.ProtocolBinding;
import dev.initbench.localcloud.protocol.QueryString;
import dev.initbench.localcloud.protocol.QueryString.Encoding;
import dev.initbench.localcloud.protocol.RestJsonBinding;
import dev.initbench.localcloud.server.SignatureVerifier.SignedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local cloud's single HTTP endpoint on 127.0.0.1. Each request is routed by the SigV4 signing name of its
 * credential scope, its signature verified, an aws-chunked body decoded, and then handed to the service's protocol
 * binding, which renders the result or error. {@code Expect: 100-continue} is answered by the JDK server before the
 * body is read. An answer the binding gives later ({@link ProtocolBinding#handleAsync}: Lambda Invoke) is written on
 * a handler thread once it is ready; meanwhile no thread waits for it.
 */
public final class LocalEndpoint implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LocalEndpoint.class.getName());
    /**
     * Handler threads. No request holds one while it waits on a function: Lambda Invoke's answer is written when the
     * invocation completes ({@link ProtocolBinding#handleAsync}), so these bound only concurrent parsing, signature
     * checks and body reads.
     */
    private static final int MAX_THREADS = 64;
    /** Larger bodies are refused rather than buffered: 512 MiB is far above any artifact this project uploads. */
    private static final int MAX_BODY_BYTES = 512 * 1024 * 1024;

    /** Query parameters of presigned URLs: authentication, not input of the operation. */
    private static final java.util.Set<String> PRESIGNING_PARAMETERS = java.util.Set.of("X-Amz-Algorithm",
            "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature",
            "X-Amz-Security-Token");

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    /** Releases answers whose {@link ServiceLatency} delay has passed (to {@link #executor}, which writes them). */
    private final ScheduledThreadPoolExecutor delayedAnswers;
    private final URI uri;
    private volatile ServiceLatency serviceLatency = ServiceLatency.NONE;
    private volatile boolean closed;

    private LocalEndpoint(HttpServer server, ThreadPoolExecutor executor) {
        this.server = server;
        this.executor = executor;
        this.delayedAnswers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "localcloud-endpoint-latency");
            thread.setDaemon(true);
            return thread;
        });
        delayedAnswers.setRemoveOnCancelPolicy(true);
        this.uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Binds 127.0.0.1 on {@code port} (0 picks a free one); requests are served after {@link #serve}. */
    public static LocalEndpoint bind(int port) {
        LoopbackServers.disableNagle();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, got " + port);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            AtomicInteger threads = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), runnable -> {
                        Thread thread = new Thread(runnable, "localcloud-endpoint-" + threads.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    });
            executor.allowCoreThreadTimeOut(true);
            server.setExecutor(executor);
            return new LocalEndpoint(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the local cloud endpoint to 127.0.0.1:" + port
                    + (port == 0 ? "" : " (is the port in use? use 0 for any free port)"), e);
        }
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:43123}. */
    public URI uri() {
        return uri;
    }

    /** Starts serving the registered services, accepting only the given credentials. */
    public void serve(ServiceRegistry services, String accessKeyId, String secretAccessKey) {
        serve(services, new CredentialRegistry(accessKeyId, secretAccessKey));
    }

    /**
     * Starts serving the registered services, accepting the registry's keys. An answer to a request signed with a
     * session key whose {@link CallerSession} holds answers (a frozen execution environment) is written only when the
     * session releases them, and dropped when it ends: see {@link CallerSession}.
     */
    public void serve(ServiceRegistry services, CredentialRegistry credentials) {
        serve(services, credentials, ServiceLatency.NONE);
    }

    /**
     * As {@link #serve(ServiceRegistry, CredentialRegistry)}, answering requests signed with a session key (an
     * execution environment's) no sooner than {@code latency} says: see {@link ServiceLatency}.
     */
    public void serve(ServiceRegistry services, CredentialRegistry credentials, ServiceLatency latency) {
        this.serviceLatency = Objects.requireNonNull(latency, "latency");
        SignatureVerifier verifier = new SignatureVerifier(credentials, Clock.systemUTC());
        server.createContext("/", exchange -> exchange(exchange, services, verifier, credentials));
        server.start();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        delayedAnswers.shutdownNow();
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange, ServiceRegistry services, SignatureVerifier verifier,
                          CredentialRegistry credentials) {
        long arrivedNanos = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        CompletableFuture<AwsResponse> response;
        Optional<CallerSession> caller;
        try {
            RawRequest head = readHead(exchange, method);
            Optional<SignatureVerifier.Scope> scope = SignatureVerifier.claimedScope(head);
            Optional<ProtocolBinding> binding = scope.isPresent()
                    ? services.bySigningName(scope.get().signingName()) : services.guess(head);
            caller = scope.flatMap(claimed -> credentials.session(claimed.accessKeyId()));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            Optional<String> unsigned = scope.isEmpty() && body.length <= MAX_BODY_BYTES
                    ? services.unsignedAction(head.withBody(body)) : Optional.empty();
            if (unsigned.isPresent()) {
                response = CompletableFuture.completedFuture(respondUnsigned(
                        services.bySigningName(unsigned.get()).orElseThrow(), head.withBody(body), unsigned.get(),
                        requestId));
            } else if (binding.isEmpty()) {
                response = CompletableFuture.completedFuture(unknownService(head, services, requestId));
            } else if (body.length > MAX_BODY_BYTES) {
                response = CompletableFuture.completedFuture(binding.get().renderError(new AwsServiceException(
                        "EntityTooLarge", 400, "Your proposed upload exceeds the local cloud's maximum request size "
                        + "of " + MAX_BODY_BYTES + " bytes."), method, requestId));
            } else {
                response = respond(binding.get(), head.withBody(body), verifier, requestId);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.log(System.Logger.Level.DEBUG, "local cloud endpoint: client connection failed", e);
            exchange.close();
            return;
        }
        if (response.isDone()) {
            deliver(exchange, method, requestId, response.join(), caller, arrivedNanos);
        } else {
            response.thenAcceptAsync(ready -> deliver(exchange, method, requestId, ready, caller, arrivedNanos),
                    executor).whenComplete((delivered, refused) -> {
                        if (refused != null) {
                            exchange.close(); // the endpoint is closing: its executor refused the answer
                        }
                    });
        }
    }

    /** Writes the response, or hands it to the caller's session when the caller is an execution environment. */
    private void deliver(HttpExchange exchange, String method, String requestId, AwsResponse response,
                         Optional<CallerSession> caller, long arrivedNanos) {
        CallerSession.Answer answer = new CallerSession.Answer() {
            @Override
            public void write() {
                try (exchange) {
                    LocalEndpoint.write(exchange, method, response, requestId);
                } catch (IOException | UncheckedIOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "local cloud endpoint: client connection failed", e);
                }
            }

            @Override
            public void drop() {
                exchange.close();
            }
        };
        if (caller.isPresent()) {
            answerSession(caller.get(), answer, exchange.getRemoteAddress(), arrivedNanos);
        } else {
            answer.write();
        }
    }

    /**
     * Answers an execution environment once its {@link ServiceLatency} has passed since the request arrived (at once
     * without one); the session holds the answer while the environment is frozen.
     */
    private void answerSession(CallerSession caller, CallerSession.Answer answer, InetSocketAddress client,
                               long arrivedNanos) {
        ServiceLatency latency = serviceLatency;
        boolean firstOnConnection = caller.firstRequestFrom(client);
        long dueInNanos = latency.delayFor(firstOnConnection).toNanos() - (System.nanoTime() - arrivedNanos);
        if (dueInNanos <= 0) {
            caller.answer(answer); // held while the caller is frozen
            return;
        }
        try {
            delayedAnswers.schedule(() -> executor.execute(() -> caller.answer(answer)), dueInNanos,
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            answer.drop(); // the endpoint is closing
        }
    }

    /** The binding's response; a failure, thrown at once or completing the answer, is rendered as its error. */
    private static CompletableFuture<AwsResponse> respond(ProtocolBinding binding, RawRequest raw,
                                                          SignatureVerifier verifier, String requestId) {
        try {
            SignedRequest signed = verifier.verify(raw);
            byte[] body = raw.body();
            // Trailing checksums are verified here; checksum headers are the service's: what they cover depends on
            // the operation (S3's CompleteMultipartUpload sends the object's checksum, not its body's).
            if (AwsChunkedDecoder.isChunked(raw, signed)) {
                body = AwsChunkedDecoder.decode(raw, signed).payload();
            }
            Map<String, List<String>> query = QueryString.asMultiMap(
                    QueryString.parse(raw.rawQuery(), Encoding.PERCENT));
            query.keySet().removeAll(PRESIGNING_PARAMETERS);
            AwsRequest request = new AwsRequest(raw.method(), QueryString.decode(raw.rawPath(), Encoding.PERCENT),
                    raw.rawPath(), query, raw.headers(), body, signed.scope().signingName(), signed.scope().region());
            return binding.handleAsync(request, requestId)
                    .exceptionally(failure -> renderFailure(binding, failure, raw, requestId));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(renderFailure(binding, e, raw, requestId));
        }
    }

    /** A refusal, a service's error, or (logged) a fault inside the local cloud, in the binding's shape. */
    private static AwsResponse renderFailure(ProtocolBinding binding, Throwable failure, RawRequest raw,
                                             String requestId) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof AuthenticationFailure refusal) {
            return binding.renderError(binding.refused(refusal), raw.method(), requestId);
        }
        if (cause instanceof AwsServiceException error) {
            return binding.renderError(error, raw.method(), requestId);
        }
        LOG.log(System.Logger.Level.WARNING, "local cloud: request " + requestId + " " + raw.method() + " "
                + raw.rawPath() + " failed inside the local cloud", cause);
        RuntimeException fault = cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
        return binding.renderError(binding.internalError(fault), raw.method(), requestId);
    }

    /** An action AWS serves without authentication; nothing to verify. */
    private static AwsResponse respondUnsigned(ProtocolBinding binding, RawRequest raw, String signingName,
                                               String requestId) {
        try {
            AwsRequest request = new AwsRequest(raw.method(), QueryString.decode(raw.rawPath(), QueryString.Encoding.PERCENT), raw.rawPath(),
                    QueryString.asMultiMap(QueryString.parse(raw.rawQuery(), QueryString.Encoding.PERCENT)), raw.headers(), raw.body(),
                    signingName, "");
            return binding.handle(request, requestId);
        } catch (AwsServiceException e) {
            return binding.renderError(e, raw.method(), requestId);
        } catch (RuntimeException e) {
            return binding.renderError(binding.internalError(e), raw.method(), requestId);
        }
    }

    private static AwsResponse unknownService(RawRequest raw, ServiceRegistry services, String requestId) {
        String signingName = SignatureVerifier.claimedScope(raw).map(SignatureVerifier.Scope::signingName)
                .orElse("(unsigned request)");
        AwsServiceException error = new AwsServiceException("UnknownService", 400, "The service '" + signingName
                + "' (SigV4 signing name) is not emulated by the local cloud; it serves " + services.signingNames()
                + ".");
        return new RestJsonBinding(request -> null).renderError(error, raw.method(), requestId);
    }

    /** The request line and headers; the body is read once the service is known. */
    private static RawRequest readHead(HttpExchange exchange, String method) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new RawRequest(method, rawPath, uri.getRawQuery() == null ? "" : uri.getRawQuery(), headers,
                new byte[0]);
    }

    private static void write(HttpExchange exchange, String method, AwsResponse response, String requestId)
            throws IOException {
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.getResponseHeaders().set("x-amz-request-id", requestId);
        exchange.getResponseHeaders().set("x-amz-id-2", requestId);
        boolean noBody = "HEAD".equals(method) || response.status() == 204 || response.status() == 304
                || response.body().length == 0;
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }
}
