package dev.initbench.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared by the load benchmarks: where figures go, and running wrk (Debian package "wrk") when installed. */
final class BenchmarkFiles {

    static final Path DIRECTORY = Path.of("target", "benchmarks");

    private BenchmarkFiles() {
    }

    static Path write(String name, String content) {
        try {
            Files.createDirectories(DIRECTORY);
            Path file = DIRECTORY.resolve(name);
            Files.writeString(file, content);
            System.out.println(content);
            System.out.println("written to " + file.toAbsolutePath());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** wrk's figures: throughput and its latency distribution (from each request's actual send: closed loop). */
    record WrkResult(String command, double requestsPerSecond, String p50, String p90, String p99, String max,
                     long requests) {
    }

    /** Runs wrk for a few seconds; empty when wrk is not installed. Never outlives the call. */
    static Optional<WrkResult> wrk(String url, int connections, int seconds) throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s",
                "--latency", url));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("wrk did not finish within " + (seconds + 30) + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return Optional.of(new WrkResult(String.join(" ", command),
                    Double.parseDouble(find(output, "Requests/sec:\\s+([0-9.]+)")),
                    find(output, "\\s50%\\s+(\\S+)"), find(output, "\\s90%\\s+(\\S+)"),
                    find(output, "\\s99%\\s+(\\S+)"), find(output, "Latency\\s+\\S+\\s+\\S+\\s+(\\S+)"),
                    Long.parseLong(find(output, "(\\d+) requests in"))));
        } finally {
            process.destroyForcibly();
        }
    }

    private static String find(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected wrk output (no " + regex + "):\n" + output);
        }
        return matcher.group(1);
    }
}
