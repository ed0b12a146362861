package dev.initbench.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lean HTTP/1.1 client for plain {@code http} endpoints: GET requests over keep-alive connections, all driven
 * by one non-blocking I/O thread. It exists because the load generator's CPU is taken from the execution
 * environments it measures on the local target: the JDK HttpClient spends several times more CPU per request
 * (request objects, CompletableFuture stages, executor hand-offs, per-request timer tasks), which measured as the
 * generator losing its schedule at 1,000 arrivals/s on 2 cores (README "Measured, not assumed").
 *
 * <p>Each connection carries one exchange at a time (no pipelining); a connection is reused when the answer allows
 * it (HTTP/1.1 without {@code Connection: close}) and opened when none is idle. Bodies are read by Content-Length,
 * chunked transfer coding, or until the server closes. A request that finds a kept-alive connection closed by the
 * server before any byte of the answer is retried once on a new connection (GET is idempotent), as browsers and the
 * JDK client do. Every exchange ends exactly once: answered, timed out at its deadline (the connection is closed),
 * or failed with the connection's error.
 */
final class PlainHttpClient implements AutoCloseable {

    /** How an exchange ended; called on the client's I/O thread. */
    interface Listener {
        void answered(int status, String body);

        void failed(Outcome outcome, String error);
    }

    private static final int READ_BUFFER_BYTES = 16 * 1024;
    /** Answers are kept up to this many bytes; the rest is read and dropped (the functions answer under 1 KB). */
    private static final int MAX_KEPT_BODY_BYTES = LoadGenerator.MAX_BODY_CHARS * 4;
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final Selector selector;
    private final Thread ioThread;
    private final ConcurrentLinkedQueue<Exchange> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Map<String, ArrayDeque<Connection>> idle = new HashMap<>();
    private final Map<URI, byte[]> requestBytes = new HashMap<>();
    /** Resolved once per origin: a name lookup per connection would block the I/O thread. */
    private final Map<String, InetSocketAddress> addresses = new HashMap<>();
    private final PriorityQueue<Exchange> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private volatile boolean closed;

    PlainHttpClient(String threadName) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the load generator's selector", e);
        }
        ioThread = new Thread(this::loop, threadName);
        ioThread.setDaemon(true);
        ioThread.start();
    }

    /**
     * Sends a GET to {@code uri} (scheme http), ending by {@code deadlineNanos} (System.nanoTime) at the latest.
     * Thread-safe; the listener is called on the I/O thread.
     */
    void send(URI uri, long deadlineNanos, Listener listener) {
        submitted.add(new Exchange(uri, deadlineNanos, listener));
        if (Thread.currentThread() != ioThread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        selector.wakeup();
        ioThread.join(5_000);
    }

    private void loop() {
        try {
            while (!closed) {
                long timeoutMillis = 0;
                Exchange first = deadlines.peek();
                if (first != null) {
                    timeoutMillis = Math.max(1, (first.deadline - System.nanoTime() + 999_999) / 1_000_000);
                }
                if (submitted.isEmpty()) {
                    selector.select(timeoutMillis);
                } else {
                    selector.selectNow();  // answers are read even while new requests keep coming
                }
                wakeupPending.set(false);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    ready((Connection) key.attachment(), key);
                }
                Exchange exchange;
                while ((exchange = submitted.poll()) != null) {
                    start(exchange, false);
                }
                expire(System.nanoTime());
            }
        } catch (IOException | ClosedSelectorException e) {
            failAll("the load generator's I/O loop stopped: " + e);
        } finally {
            failAll("the load generator's HTTP client was closed");
            try {
                selector.close();
            } catch (IOException ignored) {
                // Closing is best effort; the channels are closed with it.
            }
        }
    }

    private void start(Exchange exchange, boolean retry) {
        String host = exchange.uri.getHost();
        int port = exchange.uri.getPort() < 0 ? 80 : exchange.uri.getPort();
        String origin = host + ":" + port;
        if (!retry) {
            deadlines.add(exchange);
        }
        Connection connection = null;
        ArrayDeque<Connection> pool = idle.get(origin);
        while (pool != null && !pool.isEmpty() && connection == null) {
            Connection candidate = pool.pollLast();
            if (candidate.channel.isOpen()) {
                connection = candidate;
            }
        }
        try {
            if (connection == null) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connection = new Connection(channel, origin);
                connection.key = channel.register(selector, 0, connection);
                connection.exchange = exchange;
                exchange.connection = connection;
                exchange.reused = false;
                prepare(connection, exchange);
                if (channel.connect(addresses.computeIfAbsent(origin, k -> new InetSocketAddress(host, port)))) {
                    write(connection);
                } else {
                    connection.key.interestOps(SelectionKey.OP_CONNECT);
                }
                return;
            }
            connection.exchange = exchange;
            exchange.connection = connection;
            exchange.reused = true;
            prepare(connection, exchange);
            write(connection);
        } catch (IOException | RuntimeException e) {
            retryOrFail(connection, exchange, describe(e));
        }
    }

    /**
     * A kept-alive connection the server closed fails before any byte of the answer: the request is sent again,
     * once, on a new connection. Anything else ends the exchange as a connection error.
     */
    private void retryOrFail(Connection connection, Exchange exchange, String error) {
        if (exchange.reused && !exchange.retried && connection != null && connection.response.received == 0) {
            exchange.retried = true;
            connection.exchange = null;
            discard(connection);
            start(exchange, true);
        } else {
            fail(connection, exchange, Outcome.CONNECTION_ERROR, error);
        }
    }

    private void prepare(Connection connection, Exchange exchange) {
        byte[] bytes = requestBytes.computeIfAbsent(exchange.uri, PlainHttpClient::requestBytes);
        connection.out = ByteBuffer.wrap(bytes);
        connection.response.reset();
    }

    private static byte[] requestBytes(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        return ("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: lambda-init-bench\r\n"
                + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private void ready(Connection connection, SelectionKey key) {
        Exchange exchange = connection.exchange;
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                connection.channel.finishConnect();
                write(connection);
                return;
            }
            if (key.isWritable()) {
                write(connection);
                return;
            }
            if (key.isReadable()) {
                read(connection);
            }
        } catch (IOException | RuntimeException e) {
            if (exchange == null) {
                discard(connection);
            } else {
                retryOrFail(connection, exchange, describe(e));
            }
        }
    }

    private void write(Connection connection) throws IOException {
        connection.channel.write(connection.out);
        connection.key.interestOps(connection.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read(Connection connection) throws IOException {
        Exchange exchange = connection.exchange;
        while (true) {
            readBuffer.clear();
            int n = connection.channel.read(readBuffer);
            if (n < 0) {
                if (exchange == null) {
                    discard(connection);  // an idle connection the server closed: forget it
                    return;
                }
                Response response = connection.response;
                if (response.untilClose && response.headersDone) {
                    answered(connection, exchange, false);
                } else {
                    retryOrFail(connection, exchange, "connection closed by the server before a complete answer");
                }
                return;
            }
            if (n == 0) {
                return;
            }
            if (exchange == null) {
                discard(connection);  // bytes nobody asked for: the connection is out of step
                return;
            }
            readBuffer.flip();
            Response response = connection.response;
            response.received += n;
            if (response.consume(readBuffer)) {
                answered(connection, exchange, response.keepAlive);
                return;
            }
            if (response.failure != null) {
                fail(connection, exchange, Outcome.CONNECTION_ERROR, response.failure);
                return;
            }
        }
    }

    private void answered(Connection connection, Exchange exchange, boolean keepAlive) {
        Response response = connection.response;
        int status = response.status;
        String body = new String(response.body, 0, response.bodyLength, StandardCharsets.UTF_8);
        connection.exchange = null;
        if (keepAlive) {
            connection.key.interestOps(SelectionKey.OP_READ);
            idle.computeIfAbsent(connection.origin, k -> new ArrayDeque<>()).addLast(connection);
        } else {
            discard(connection);
        }
        end(exchange, listener -> listener.answered(status, body));
    }

    private void fail(Connection connection, Exchange exchange, Outcome outcome, String error) {
        if (connection != null) {
            connection.exchange = null;
            discard(connection);
        }
        end(exchange, listener -> listener.failed(outcome, error));
    }

    private void end(Exchange exchange, java.util.function.Consumer<Listener> call) {
        if (!exchange.done) {
            exchange.done = true;
            exchange.connection = null;
            call.accept(exchange.listener);
        }
    }

    private void discard(Connection connection) {
        connection.key.cancel();
        try {
            connection.channel.close();
        } catch (IOException ignored) {
            // Already broken; nothing more to release.
        }
    }

    /** Ends the exchanges whose deadline has passed (lazily dropping those already done). */
    private void expire(long now) {
        while (!deadlines.isEmpty() && (deadlines.peek().done || deadlines.peek().deadline <= now)) {
            Exchange exchange = deadlines.poll();
            if (!exchange.done) {
                fail(exchange.connection, exchange, Outcome.TIMEOUT, "no complete answer within the request timeout");
            }
        }
    }

    private void failAll(String error) {
        while (!deadlines.isEmpty()) {
            Exchange exchange = deadlines.poll();
            if (!exchange.done) {
                fail(exchange.connection, exchange, Outcome.CONNECTION_ERROR, error);
            }
        }
        Exchange exchange;
        while ((exchange = submitted.poll()) != null) {
            end(exchange, listener -> listener.failed(Outcome.CONNECTION_ERROR, error));
        }
        idle.values().forEach(pool -> pool.forEach(this::discard));
        idle.clear();
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static final class Exchange {
        final URI uri;
        final long deadline;
        final Listener listener;
        Connection connection;
        boolean reused;
        boolean retried;
        boolean done;

        Exchange(URI uri, long deadline, Listener listener) {
            this.uri = uri;
            this.deadline = deadline;
            this.listener = listener;
        }
    }

    private static final class Connection {
        final SocketChannel channel;
        final String origin;
        final Response response = new Response();
        SelectionKey key;
        ByteBuffer out;
        Exchange exchange;

        Connection(SocketChannel channel, String origin) {
            this.channel = channel;
            this.origin = origin;
        }
    }

    /** An HTTP/1.1 response being parsed incrementally from the bytes read so far. */
    static final class Response {
        private enum State { HEADERS, BODY_LENGTH, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILERS, UNTIL_CLOSE }

        private final StringBuilder line = new StringBuilder();
        private State state;
        private boolean statusLineRead;
        int status;
        boolean keepAlive;
        boolean headersDone;
        boolean untilClose;
        long received;
        String failure;
        private long remaining;
        private long contentLength;
        private boolean chunked;
        private int headerBytes;
        byte[] body = new byte[1024];
        int bodyLength;

        void reset() {
            line.setLength(0);
            state = State.HEADERS;
            statusLineRead = false;
            status = 0;
            keepAlive = true;
            headersDone = false;
            untilClose = false;
            received = 0;
            failure = null;
            remaining = 0;
            contentLength = -1;
            chunked = false;
            headerBytes = 0;
            bodyLength = 0;
        }

        /** Consumes bytes; true when the response is complete, false when more are needed or it failed. */
        boolean consume(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                switch (state) {
                    case HEADERS, CHUNK_SIZE, CHUNK_DATA_END, TRAILERS -> {
                        if (!readLine(bytes)) {
                            return false;
                        }
                        String text = line.toString();
                        line.setLength(0);
                        if (!onLine(text)) {
                            return failure == null;
                        }
                    }
                    case BODY_LENGTH, CHUNK_DATA -> {
                        int n = (int) Math.min(remaining, bytes.remaining());
                        keep(bytes, n);
                        remaining -= n;
                        if (remaining == 0) {
                            if (state == State.BODY_LENGTH) {
                                return true;
                            }
                            state = State.CHUNK_DATA_END;
                        }
                    }
                    case UNTIL_CLOSE -> keep(bytes, bytes.remaining());
                }
            }
            return false;
        }

        /** Handles one line; false when parsing stops here (complete, or failed: see {@link #failure}). */
        private boolean onLine(String text) {
            switch (state) {
                case HEADERS -> {
                    if (!statusLineRead) {
                        statusLineRead = true;
                        return statusLine(text);
                    }
                    if (!text.isEmpty()) {
                        header(text);
                        return failure == null;
                    }
                    if (status >= 100 && status < 200) {
                        statusLineRead = false;  // an interim answer: the real one follows
                        return true;
                    }
                    headersDone = true;
                    if (chunked) {
                        state = State.CHUNK_SIZE;
                    } else if (contentLength >= 0) {
                        if (contentLength == 0) {
                            return false;
                        }
                        state = State.BODY_LENGTH;
                        remaining = contentLength;
                    } else if (status == 204 || status == 304) {
                        return false;
                    } else {
                        state = State.UNTIL_CLOSE;
                        untilClose = true;
                        keepAlive = false;
                    }
                    return true;
                }
                case CHUNK_SIZE -> {
                    int semicolon = text.indexOf(';');
                    String size = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
                    try {
                        remaining = Long.parseLong(size, 16);
                    } catch (NumberFormatException e) {
                        failure = "invalid chunk size '" + size + "' in the answer";
                        return false;
                    }
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                    return true;
                }
                case CHUNK_DATA_END -> {
                    state = State.CHUNK_SIZE;
                    return true;
                }
                default -> {
                    return !text.isEmpty();  // TRAILERS: the empty line ends the answer
                }
            }
        }

        private boolean statusLine(String text) {
            // HTTP/1.1 200 OK
            if (!text.startsWith("HTTP/1.") || text.length() < 12) {
                failure = "not an HTTP/1.x status line: '" + text + "'";
                return false;
            }
            try {
                status = Integer.parseInt(text.substring(9, 12));
            } catch (NumberFormatException e) {
                failure = "not an HTTP/1.x status line: '" + text + "'";
                return false;
            }
            keepAlive = text.startsWith("HTTP/1.1");
            return true;
        }

        private void header(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0) {
                return;
            }
            String name = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = text.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        failure = "invalid Content-Length '" + value + "'";
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> {
                    String lower = value.toLowerCase(Locale.ROOT);
                    if (lower.contains("close")) {
                        keepAlive = false;
                    } else if (lower.contains("keep-alive")) {
                        keepAlive = true;
                    }
                }
                default -> { }
            }
        }

        /** Reads up to and including LF; true when a whole line is in {@link #line} (without CR LF). */
        private boolean readLine(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                byte b = bytes.get();
                if (++headerBytes > MAX_HEADER_BYTES) {
                    failure = "the answer's header exceeds " + MAX_HEADER_BYTES + " bytes";
                    return false;
                }
                if (b == '\n') {
                    int length = line.length();
                    if (length > 0 && line.charAt(length - 1) == '\r') {
                        line.setLength(length - 1);
                    }
                    return true;
                }
                line.append((char) (b & 0xff));
            }
            return false;
        }

        private void keep(ByteBuffer bytes, int n) {
            int kept = Math.max(0, Math.min(n, MAX_KEPT_BODY_BYTES - bodyLength));
            if (bodyLength + kept > body.length) {
                body = java.util.Arrays.copyOf(body, Math.min(MAX_KEPT_BODY_BYTES, Math.max(body.length * 2, bodyLength + kept)));
            }
            bytes.get(body, bodyLength, kept);
            bodyLength += kept;
            bytes.position(bytes.position() + (n - kept));
        }
    }
}
