package dev.initbench.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class PlainHttpClientTest {

    /** What the client reported for one exchange. */
    record Result(Outcome outcome, int status, String body, String error) {
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "content-length|HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello|200|hello",
            "chunked with extension and trailer|HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n3;x=y\\r\\nhel\\r\\n2\\r\\nlo\\r\\n0\\r\\nX-T: 1\\r\\n\\r\\n|200|hello",
            "until close (no length)|HTTP/1.1 200 OK\\r\\nConnection: close\\r\\n\\r\\nhello|200|hello",
            "interim 100 then the answer|HTTP/1.1 100 Continue\\r\\n\\r\\nHTTP/1.1 503 Busy\\r\\nContent-Length: 2\\r\\n\\r\\nno|503|no",
            "no body|HTTP/1.1 204 No Content\\r\\n\\r\\n|204|''",
            "utf-8 body|HTTP/1.1 200 OK\\r\\nContent-Length: 6\\r\\n\\r\\nh\u00e9llo|200|h\u00e9llo",
    })
    void parsesAnswersByLengthChunksOrClose(String name, String answer, int status, String body) {
        byte[] bytes = answer.replace("\\r\\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        PlainHttpClient.Response response = new PlainHttpClient.Response();
        response.reset();
        // Fed one byte at a time: every state must survive a read that ends anywhere.
        boolean complete = false;
        for (byte b : bytes) {
            complete = response.consume(ByteBuffer.wrap(new byte[]{b}));
            assertThat(response.failure).isNull();
        }
        if (response.untilClose) {
            assertThat(complete).isFalse();
        } else {
            assertThat(complete).isTrue();
        }
        assertThat(response.status).isEqualTo(status);
        assertThat(new String(response.body, 0, response.bodyLength, StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "FTP/1.0 200 OK|not an HTTP/1.x status line",
            "HTTP/1.1 2xx OK|not an HTTP/1.x status line",
    })
    void refusesWhatIsNotHttp(String statusLine, String failure) {
        PlainHttpClient.Response response = new PlainHttpClient.Response();
        response.reset();
        response.consume(ByteBuffer.wrap((statusLine + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        assertThat(response.failure).startsWith(failure);
    }

    @Test
    void keepsConnectionsAliveAndEndsEveryExchangeOnce() throws Exception {
        try (RawServer server = new RawServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", false);
             PlainHttpClient client = new PlainHttpClient("test-io")) {
            for (int i = 0; i < 20; i++) {
                assertThat(send(client, server.uri("/a?i=" + i), 5_000)).isEqualTo(new Result(null, 200, "ok", ""));
            }
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.requests).allMatch(r -> r.startsWith("GET /a?i=") && r.contains("\r\nHost: 127.0.0.1:"));
        }
    }

    @Test
    void aKeptAliveConnectionTheServerClosedIsRetriedOnceOnANewOne() throws Exception {
        // The server answers, then closes each connection without saying so: the next request finds it closed.
        try (RawServer server = new RawServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", true);
             PlainHttpClient client = new PlainHttpClient("test-io")) {
            assertThat(send(client, server.uri("/"), 5_000).status()).isEqualTo(200);
            Thread.sleep(100);
            assertThat(send(client, server.uri("/"), 5_000).status()).isEqualTo(200);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void anAnswerCutShortIsAConnectionErrorAndNoAnswerATimeout() throws Exception {
        try (RawServer cut = new RawServer(request -> "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok", true);
             RawServer silent = new RawServer(request -> null, false);
             PlainHttpClient client = new PlainHttpClient("test-io")) {
            Result cutShort = send(client, cut.uri("/"), 5_000);
            long start = System.nanoTime();
            Result timedOut = send(client, silent.uri("/"), 300);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Result refused = send(client, LoopbackServer.refusingUri(), 5_000);

            assertThat(cutShort.outcome()).isEqualTo(Outcome.CONNECTION_ERROR);
            assertThat(cutShort.error()).contains("closed by the server before a complete answer");
            assertThat(timedOut.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(took).isBetween(250L, 3_000L);
            assertThat(refused.outcome()).isEqualTo(Outcome.CONNECTION_ERROR);
            assertThat(refused.error()).startsWith("ConnectException");
        }
    }

    private static Result send(PlainHttpClient client, URI uri, long timeoutMillis) throws Exception {
        CompletableFuture<Result> result = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        client.send(uri, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), new PlainHttpClient.Listener() {
            @Override
            public void answered(int status, String body) {
                calls.incrementAndGet();
                result.complete(new Result(null, status, body, ""));
            }

            @Override
            public void failed(Outcome outcome, String error) {
                calls.incrementAndGet();
                result.complete(new Result(outcome, 0, "", error));
            }
        });
        Result r = result.get(10, TimeUnit.SECONDS);
        Thread.sleep(20);
        assertThat(calls.get()).as("listener calls").isEqualTo(1);
        return r;
    }

    /** A blocking loopback server answering each request head with crafted bytes (null: never answer). */
    private static final class RawServer implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        RawServer(Function<String, String> answer, boolean closeAfterAnswer) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket connection = socket.accept()) {
                        connections.incrementAndGet();
                        serve(connection, answer, closeAfterAnswer);
                    } catch (IOException e) {
                        // closed: the test is over
                    }
                }
            }, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(Socket connection, Function<String, String> answer, boolean close) throws IOException {
            InputStream in = connection.getInputStream();
            OutputStream out = connection.getOutputStream();
            while (true) {
                StringBuilder head = new StringBuilder();
                int b;
                while ((b = in.read()) >= 0) {
                    head.append((char) b);
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        break;
                    }
                }
                if (b < 0) {
                    return;
                }
                requests.add(head.toString());
                String reply = answer.apply(head.toString());
                if (reply == null) {
                    in.read();  // hold the connection until the client gives up and closes it
                    return;
                }
                out.write(reply.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (close) {
                    return;
                }
            }
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5_000);
        }
    }
}
