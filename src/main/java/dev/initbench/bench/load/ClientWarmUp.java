package dev.initbench.bench.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Warms the load generator's own code path (HTTP client classes, dispatcher, completion handling) once per JVM,
 * against a throwaway HTTP server on 127.0.0.1, so the first scheduled requests of a run do not carry the
 * client's class loading and interpretation (measured: about 15–25 ms of send delay and 200 ms of latency on the
 * first requests of a cold JVM). It sends nothing to the plan's endpoints: the benchmark's rule of no warm-up
 * request to the functions holds.
 */
final class ClientWarmUp {

    private static final Object LOCK = new Object();
    private static boolean warm;

    private ClientWarmUp() {
    }

    static void ensureWarm() throws InterruptedException {
        synchronized (LOCK) {
            if (warm) {
                return;
            }
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the load generator's warm-up server on 127.0.0.1", e);
            }
            ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "initbench-load-warm-up");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            try {
                LoadPlan plan = LoadPlan.builder()
                        .phase("client-warm-up", 400, Duration.ofMillis(500))
                        .endpoint("warm-up", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                        .requestTimeout(Duration.ofSeconds(2))
                        .build();
                LoadGenerator.execute(plan, progress -> { });
                warm = true;
            } finally {
                server.stop(0);
                executor.shutdownNow();
            }
        }
    }
}
