package dev.initbench.bench.load;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lean loopback HTTP server in a process of its own, for {@link LoadGeneratorBenchmark}: the JDK HttpServer with
 * TCP_NODELAY, answering 200 "ok" on its dispatcher thread, and recording when each request arrives. Its CPU is
 * not counted against the load generators it serves, and both generators are judged by the same server-side
 * clock. Prints {@code port N}; then reads commands from stdin: {@code reset}, {@code stats RATE} (prints one line
 * {@code count N spanMillis S lagP50Micros A lagP99Micros B lagMaxMicros C}), {@code quit}. Exits when stdin
 * closes, so it never outlives the benchmark.
 */
public final class ArrivalRecordingServerMain {

    private static final int MAX_ARRIVALS = 2_000_000;
    private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);

    private ArrivalRecordingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        long[] arrivals = new long[MAX_ARRIVALS];
        AtomicInteger count = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        server.createContext("/", exchange -> {
            try (exchange) {
                // The dispatcher thread runs every handler (no executor); stdin commands come between load steps.
                int index = count.get();
                if (index < MAX_ARRIVALS) {
                    arrivals[index] = System.nanoTime();
                    count.set(index + 1);
                }
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, BODY.length);
                exchange.getResponseBody().write(BODY);
            }
        });
        server.start();
        System.out.println("port " + server.getAddress().getPort());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            String[] words = line.trim().split(" ");
            if (words[0].equals("reset")) {
                count.set(0);
                System.out.println("reset");
            } else if (words[0].equals("stats")) {
                System.out.println(stats(Arrays.copyOf(arrivals, count.get()), Double.parseDouble(words[1])));
            }
            System.out.flush();
        }
        server.stop(0);
    }

    /**
     * How far the arrivals fell behind a constant-rate schedule: arrival i is due at start + i / rate, with start
     * chosen as early as the arrivals allow (so lags are ≥ 0 and a generator that starts late is not penalised).
     */
    static String stats(long[] arrivals, double rate) {
        if (arrivals.length == 0) {
            return "count 0 spanMillis 0 lagP50Micros 0 lagP99Micros 0 lagMaxMicros 0";
        }
        Arrays.sort(arrivals);
        double interval = 1e9 / rate;
        double start = Double.MAX_VALUE;
        for (int i = 0; i < arrivals.length; i++) {
            start = Math.min(start, arrivals[i] - i * interval);
        }
        long[] lags = new long[arrivals.length];
        for (int i = 0; i < arrivals.length; i++) {
            lags[i] = (long) ((arrivals[i] - i * interval - start) / 1000);
        }
        Arrays.sort(lags);
        return String.format(Locale.ROOT, "count %d spanMillis %d lagP50Micros %d lagP99Micros %d lagMaxMicros %d",
                arrivals.length, (arrivals[arrivals.length - 1] - arrivals[0]) / 1_000_000,
                lags[(int) Math.min(lags.length - 1, Math.ceil(0.50 * lags.length) - 1)],
                lags[(int) Math.min(lags.length - 1, Math.ceil(0.99 * lags.length) - 1)], lags[lags.length - 1]);
    }
}
