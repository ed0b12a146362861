package dev.initbench.localcloud.lambda;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The class-data sharing archive of the managed Java runtime's own classes: the JDK's and the runtime client's, as
 * the managed runtimes start with {@code -Xshare:on -XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa} (their
 * launch line, see the README), an archive dumped with the runtime client's class path. Never a function's classes:
 * the class list comes from the runtime client started with {@link ArchiveTrainingHandler}, which loads nothing, and
 * stopped when it asks for its first invocation; a static archive holds only classes of the boot, platform and
 * application loaders, and functions are loaded by the runtime client's own loader.
 *
 * <p>Built once per JDK and runtime-client class path into the cache directory (about 3 s of CPU), then reused; the
 * JVM itself checks the archive against the JDK and the jars, and ignores it ({@code -Xshare:auto}) when they changed.
 */
final class RuntimeClassArchive {

    private static final String NEXT_PATH = "/2018-06-01/runtime/invocation/next";
    private static final Map<Path, Object> BUILDING = new ConcurrentHashMap<>();

    /** The archive, or why there is none (the environments then start with the JDK's default archive). */
    record Outcome(Optional<Path> archive, String description) {
    }

    private RuntimeClassArchive() {
    }

    /** The archive for {@code jdk} and {@code classpath} in {@code cacheDirectory}, built when missing. */
    static Outcome obtain(JavaRuntime jdk, String classpath, Path jniLibrary, Path cacheDirectory) {
        Path archive;
        try {
            archive = cacheDirectory.resolve(key(jdk, classpath)).resolve("runtime.jsa");
        } catch (IOException e) {
            return new Outcome(Optional.empty(), "none (cannot read the runtime client's jars: " + e.getMessage() + ")");
        }
        synchronized (BUILDING.computeIfAbsent(archive, path -> new Object())) {
            if (Files.isRegularFile(archive)) {
                return new Outcome(Optional.of(archive), archive.toString());
            }
            try {
                build(jdk, classpath, jniLibrary, archive);
                return new Outcome(Optional.of(archive), archive.toString());
            } catch (IOException e) {
                return new Outcome(Optional.empty(), "none (" + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(Optional.empty(), "none (interrupted while building it)");
            }
        }
    }

    private static void build(JavaRuntime jdk, String classpath, Path jniLibrary, Path archive)
            throws IOException, InterruptedException {
        Path directory = Files.createDirectories(archive.getParent());
        Path work = Files.createTempDirectory(directory, "build-");
        try {
            Path classList = work.resolve("runtime.classlist");
            listRuntimeClasses(jdk, classpath, jniLibrary, work, classList);
            Path dumped = work.resolve("runtime.jsa");
            run(List.of(jdk.javaExecutable().toString(), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + dumped, "-cp", classpath), work, Map.of(), "dumping the archive");
            // -Xshare:on fails instead of falling back: proves this JDK maps the archive with this class path.
            run(List.of(jdk.javaExecutable().toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + dumped, "-cp",
                    classpath, "-version"), work, Map.of(), "checking the archive");
            Files.move(dumped, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            deleteTree(work);
        }
    }

    /** Runs the runtime client with the training handler until its first {@code /next}; lists the classes loaded. */
    private static void listRuntimeClasses(JavaRuntime jdk, String classpath, Path jniLibrary, Path work,
                                           Path classList) throws IOException, InterruptedException {
        Path task = Files.createDirectories(work.resolve("task"));
        String entry = ArchiveTrainingHandler.class.getName().replace('.', '/') + ".class";
        try (InputStream in = ArchiveTrainingHandler.class.getResourceAsStream("/" + entry)) {
            if (in == null) {
                throw new IOException("the training handler's class file is missing");
            }
            Path target = task.resolve(entry);
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
        }
        CompletableFuture<String> firstRequest = new CompletableFuture<>();
        HttpServer runtimeApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        runtimeApi.createContext("/", exchange -> firstRequest.complete(exchange.getRequestURI().getPath()));
        runtimeApi.start();
        List<String> command = new ArrayList<>(List.of(jdk.javaExecutable().toString(), "-Xshare:auto",
                "-XX:DumpLoadedClassList=" + classList, "-XX:+UseSerialGC",
                "-D" + JavaRuntimeFamily.JNI_LIBRARY_PROPERTY + "=" + jniLibrary, "-cp", classpath,
                JavaRuntimeFamily.RUNTIME_CLIENT_MAIN, ArchiveTrainingHandler.class.getName() + "::handleRequest"));
        Map<String, String> variables = Map.of("PATH", ReservedVariables.DEFAULT_PATH,
                "AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApi.getAddress().getPort(),
                "LAMBDA_TASK_ROOT", task.toString(), "_HANDLER", ArchiveTrainingHandler.class.getName(),
                "AWS_LAMBDA_FUNCTION_NAME", "runtime-class-archive", "AWS_REGION", "us-east-1");
        try (EnvironmentLauncher launcher = new EnvironmentLauncher()) {
            Process process = launcher.start(command, variables, task, Optional.empty(),
                    ProcessBuilder.Redirect.appendTo(work.resolve("training.log").toFile()));
            try {
                String path = firstRequest.get(60, TimeUnit.SECONDS);
                if (!path.equals(NEXT_PATH)) {
                    throw new IOException("the training runtime asked " + path + " instead of " + NEXT_PATH + ": "
                            + Files.readString(work.resolve("training.log")));
                }
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("the training runtime did not ask for an invocation within 60 s: "
                        + Files.readString(work.resolve("training.log")), e);
            } finally {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            runtimeApi.stop(0);
        }
    }

    private static void run(List<String> command, Path directory, Map<String, String> variables, String what)
            throws IOException, InterruptedException {
        Path output = directory.resolve("output.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(variables);
        Process process = builder.start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new IOException(what + " took more than 120 s");
            }
        } finally {
            process.destroyForcibly();
        }
        if (process.exitValue() != 0) {
            throw new IOException(what + " failed (exit status " + process.exitValue() + "): "
                    + Files.readString(output, StandardCharsets.UTF_8).strip());
        }
    }

    /** Names the JDK and the exact jars (path, size, modification time), so a changed one gets its own archive. */
    private static String key(JavaRuntime jdk, String classpath) throws IOException {
        StringBuilder identity = new StringBuilder(jdk.javaHome() + "|" + jdk.fullVersion());
        for (String jar : classpath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(jar);
            identity.append('|').append(jar).append('|').append(Files.size(path)).append('|')
                    .append(Files.getLastModifiedTime(path).toMillis());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return "jdk" + jdk.featureVersion() + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
