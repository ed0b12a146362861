package dev.initbench.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A JDK HTTP server on 127.0.0.1 (ephemeral port) for the load generator's tests and benchmarks. */
public final class LoopbackServer implements AutoCloseable {

    /** What a path answers. */
    @FunctionalInterface
    public interface Handler {
        /** Returns the body; may sleep to simulate a slow service. */
        Response handle(HttpExchange exchange) throws Exception;
    }

    public record Response(int status, String body) {
    }

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK and
        // every exchange with a body on a kept-alive connection takes about 40 ms. The JDK reads this once per JVM,
        // when its server classes load: if another test started a JDK HttpServer first, it has no effect, so
        // tests that depend on exchange timing answer without a body (one write).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;

    public LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "loopback-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    public LoopbackServer route(String path, Handler handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                Response response = handler.handle(exchange);
                byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    exchange.getResponseBody().write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        return this;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A loopback URI where nothing listens (a port just released). */
    public static URI refusingUri() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
