package dev.initbench.localcloud.lambda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cgroup v2 directory this Lambda service puts each execution environment in: {@code
 * <cgroup2 mount><own cgroup>/initbench-lambda-<pid>-<n>/<environment id>} ({@code n} tells the services of one JVM
 * apart). Each environment's cgroup freezes it
 * ({@code cgroup.freeze}) and counts the CPU of every thread it ever ran, exited ones included ({@code cpu.stat}).
 * Needs a writable cgroup v2 hierarchy (root, or a delegated subtree); {@link #create} says why when there is none.
 */
final class EnvironmentCgroups implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EnvironmentCgroups.class.getName());
    private static final String PREFIX = "initbench-lambda-";
    private static final AtomicInteger SERVICES = new AtomicInteger();

    /** Either the service's cgroup or why there is none. */
    record Availability(Optional<EnvironmentCgroups> cgroups, String reason) {
    }

    private final Path root;

    private EnvironmentCgroups(Path root) {
        this.root = root;
    }

    /** Creates the service's cgroup, after removing empty ones left by local clouds that were killed. */
    static Availability create() {
        Optional<Path> mount = cgroup2Mount();
        if (mount.isEmpty()) {
            return new Availability(Optional.empty(), "no cgroup v2 hierarchy is mounted (/proc/self/mounts)");
        }
        Path own;
        try {
            own = mount.get().resolve(ownCgroup().orElse("/").substring(1));
        } catch (IOException e) {
            return new Availability(Optional.empty(), "cannot read /proc/self/cgroup: " + e.getMessage());
        }
        sweepStale(own);
        Path root = own.resolve(PREFIX + ProcessHandle.current().pid() + "-" + SERVICES.incrementAndGet());
        try {
            Files.createDirectories(root);
            if (!Files.isWritable(root.resolve("cgroup.procs"))) {
                Files.deleteIfExists(root);
                return new Availability(Optional.empty(), root + "/cgroup.procs is not writable");
            }
            Path probe = Files.createDirectories(root.resolve("probe"));
            boolean freezable = Files.isWritable(probe.resolve("cgroup.freeze"));
            Files.delete(probe);
            if (!freezable) {
                Files.delete(root);
                return new Availability(Optional.empty(), "the cgroup v2 hierarchy has no cgroup.freeze (kernel "
                        + "older than 5.2)");
            }
            return new Availability(Optional.of(new EnvironmentCgroups(root)), "cgroup v2 at " + root);
        } catch (IOException | SecurityException e) {
            return new Availability(Optional.empty(), "cannot create a cgroup under " + own + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); run as root or delegate a cgroup v2 "
                    + "subtree to this user");
        }
    }

    /** A new, empty cgroup for one environment. */
    EnvironmentCgroup create(String environmentId) throws IOException {
        return new EnvironmentCgroup(Files.createDirectories(root.resolve(environmentId)));
    }

    Path root() {
        return root;
    }

    /** Removes the service's cgroup (its environments' cgroups must be gone by then; empty ones are removed). */
    @Override
    public void close() {
        removeTree(root);
    }

    private static void sweepStale(Path parent) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString().substring(PREFIX.length());
                String pid = name.contains("-") ? name.substring(0, name.indexOf('-')) : name;
                boolean alive;
                try {
                    alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (!alive) {
                    removeTree(entry);
                }
            }
        } catch (IOException e) {
            // Nothing to sweep.
        }
    }

    /** Removes empty cgroups bottom-up (a cgroup directory is removed with rmdir; its files go with it). */
    private static void removeTree(Path cgroup) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cgroup, Files::isDirectory)) {
            for (Path child : entries) {
                removeTree(child);
            }
        } catch (IOException e) {
            return;
        }
        try {
            Files.deleteIfExists(cgroup);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "local Lambda: cannot remove cgroup " + cgroup + ": " + e);
        }
    }

    private static Optional<Path> cgroup2Mount() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length > 2 && fields[2].equals("cgroup2")) {
                    return Optional.of(Path.of(fields[1]));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** This JVM's cgroup v2 path ({@code 0::/path} in /proc/self/cgroup). */
    private static Optional<String> ownCgroup() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8);
        return lines.stream().filter(line -> line.startsWith("0::")).map(line -> line.substring(3)).findFirst();
    }

    /** One environment's cgroup. */
    static final class EnvironmentCgroup {
        private final Path directory;

        private EnvironmentCgroup(Path directory) {
            this.directory = directory;
        }

        /** Where a process writes its pid to join ({@code cgroup.procs}). */
        Path procs() {
            return directory.resolve("cgroup.procs");
        }

        /** Asks the kernel to freeze ({@code true}) or thaw every process of the cgroup. */
        void freeze(boolean frozen) throws IOException {
            Files.writeString(directory.resolve("cgroup.freeze"), frozen ? "1" : "0");
        }

        /** True once the kernel reports every process of the cgroup frozen ({@code cgroup.events}). */
        boolean frozen() throws IOException {
            return Files.readString(directory.resolve("cgroup.events")).contains("frozen 1");
        }

        /** CPU time of every thread that ran in the cgroup, exited ones included, in ns. */
        long cpuUsageNanos() throws IOException {
            for (String line : Files.readAllLines(directory.resolve("cpu.stat"))) {
                if (line.startsWith("usage_usec ")) {
                    return Long.parseLong(line.substring("usage_usec ".length()).trim()) * 1000;
                }
            }
            throw new IOException("no usage_usec in " + directory.resolve("cpu.stat"));
        }

        /** Removes the cgroup once its processes have gone (waits up to 2 s for the kernel to empty it). */
        void remove() {
            for (int attempt = 0; attempt < 40; attempt++) {
                try {
                    Files.deleteIfExists(directory);
                    return;
                } catch (IOException e) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            LOG.log(System.Logger.Level.WARNING, "local Lambda: cgroup " + directory + " still has processes");
        }

        @Override
        public String toString() {
            return directory.toString();
        }
    }
}
