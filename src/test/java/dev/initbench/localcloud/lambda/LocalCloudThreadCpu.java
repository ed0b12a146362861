package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * CPU used by each part of the local cloud over a stretch of requests, from per-thread CPU time (ThreadMXBean)
 * grouped by what the thread serves, plus this JVM's own threads (GC, JIT: the process total from
 * {@code /proc/self/task/}{@code *}{@code /schedstat} minus the Java threads) and the environment's process. The JDK
 * HTTP servers all name their dispatcher thread {@code HTTP-Dispatcher}, so a dispatcher is attributed by when it
 * appeared: the caller passes the ids that appeared while it created the front door and the SSM endpoint.
 */
final class LocalCloudThreadCpu {

    /** What a thread's CPU is counted as. */
    enum Part {
        FRONT_DOOR("front door (HTTP API server and its threads)"),
        RUNTIME_API("Runtime API (server and its threads)"),
        SSM_ENDPOINT("SSM endpoint"),
        OTHER_LOCAL_CLOUD("other local-cloud threads (freezer, log readers, timers)"),
        CLIENT("benchmark client (JDK HttpClient and the test thread)"),
        JVM_INTERNAL("this JVM's own threads (GC, JIT)"),
        ENVIRONMENT("environment process (runtime client + function)");

        private final String description;

        Part(String description) {
            this.description = description;
        }
    }

    private static final String DISPATCHER = "HTTP-Dispatcher";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Set<Long> frontDoorDispatchers;
    private final Set<Long> ssmDispatchers;
    private final long clientThread = Thread.currentThread().getId();
    private final long environmentPid;
    private final Map<Long, Long> javaCpuAtStart;
    private final long processCpuAtStart;
    private final long environmentCpuAtStart;
    private final String loadAtStart;

    private LocalCloudThreadCpu(Set<Long> frontDoorDispatchers, Set<Long> ssmDispatchers, long environmentPid) {
        this.frontDoorDispatchers = frontDoorDispatchers;
        this.ssmDispatchers = ssmDispatchers;
        this.environmentPid = environmentPid;
        this.loadAtStart = loadAverage();
        this.javaCpuAtStart = javaThreadCpu();
        this.processCpuAtStart = processCpu("self");
        this.environmentCpuAtStart = processCpu(Long.toString(environmentPid));
    }

    /** Starts counting now. */
    static LocalCloudThreadCpu start(Set<Long> frontDoorDispatchers, Set<Long> ssmDispatchers, long environmentPid) {
        return new LocalCloudThreadCpu(frontDoorDispatchers, ssmDispatchers, environmentPid);
    }

    /** Ids of the live JDK HTTP server dispatcher threads. */
    static Set<Long> dispatchers() {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().equals(DISPATCHER))
                .map(Thread::getId).collect(Collectors.toSet());
    }

    /** Dispatcher threads started since {@code before} was taken. */
    static Set<Long> dispatchersSince(Set<Long> before) {
        Set<Long> now = dispatchers();
        now.removeAll(before);
        return Set.copyOf(now);
    }

    /** CPU per request of each part since {@link #start}, as a Markdown section. */
    String perRequestTable(int requests) {
        Map<Long, Long> javaCpuNow = javaThreadCpu();
        Map<Long, Thread> live = Thread.getAllStackTraces().keySet().stream()
                .collect(Collectors.toMap(Thread::getId, thread -> thread, (a, b) -> a));
        Map<Part, Long> nanos = new EnumMap<>(Part.class);
        long javaTotal = 0;
        for (Map.Entry<Long, Long> entry : javaCpuNow.entrySet()) {
            long used = entry.getValue() - javaCpuAtStart.getOrDefault(entry.getKey(), 0L);
            Thread thread = live.get(entry.getKey());
            Part part = thread == null ? Part.OTHER_LOCAL_CLOUD : part(thread);
            nanos.merge(part, used, Long::sum);
            javaTotal += used;
        }
        nanos.put(Part.JVM_INTERNAL, Math.max(0, processCpu("self") - processCpuAtStart - javaTotal));
        nanos.put(Part.ENVIRONMENT, processCpu(Long.toString(environmentPid)) - environmentCpuAtStart);
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT, """

                ## CPU per warm request (the same %d requests)
                Per-thread CPU time over the measured requests, divided by their count. Load average before: %s;
                after: %s.

                | part | CPU µs per request |
                |---|---|
                """, requests, loadAtStart, loadAverage()));
        long localCloud = 0;
        for (Part part : Part.values()) {
            long value = nanos.getOrDefault(part, 0L);
            table.append(String.format(Locale.ROOT, "| %s | %.1f |%n", part.description, value / 1e3 / requests));
            if (part.ordinal() <= Part.OTHER_LOCAL_CLOUD.ordinal()) {
                localCloud += value;
            }
        }
        table.append(String.format(Locale.ROOT, "| **local cloud total** (first four rows) | %.1f |%n",
                localCloud / 1e3 / requests));
        return table.toString();
    }

    private Part part(Thread thread) {
        String name = thread.getName();
        long id = thread.getId();
        if (frontDoorDispatchers.contains(id) || name.startsWith("http-api")) {
            return Part.FRONT_DOOR;
        }
        if (ssmDispatchers.contains(id) || name.startsWith("pool-")) { // the fake SSM endpoint's default pool
            return Part.SSM_ENDPOINT;
        }
        if (name.equals(DISPATCHER) || name.startsWith("lambda-runtime-api")) { // the only other HTTP server
            return Part.RUNTIME_API;
        }
        if (id == clientThread || name.startsWith("HttpClient-")) {
            return Part.CLIENT;
        }
        return Part.OTHER_LOCAL_CLOUD;
    }

    private static Map<Long, Long> javaThreadCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        for (long id : THREADS.getAllThreadIds()) {
            long nanos = THREADS.getThreadCpuTime(id);
            if (nanos >= 0) {
                cpu.put(id, nanos);
            }
        }
        return cpu;
    }

    /** The process's CPU so far, summed over its live threads' schedstat (ns). */
    private static long processCpu(String pid) {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks) {
                try {
                    String text = Files.readString(task.resolve("schedstat"), StandardCharsets.US_ASCII);
                    total += Long.parseLong(text.substring(0, text.indexOf(' ')));
                } catch (IOException e) {
                    // the thread ended while listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/task (Linux only)", e);
        }
        return total;
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
