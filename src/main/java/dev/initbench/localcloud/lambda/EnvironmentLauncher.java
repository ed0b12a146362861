package dev.initbench.localcloud.lambda;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts execution-environment JVMs: {@code java <managed-runtime options> -cp <runtime client>
 * com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>}.
 *
 * <p>When {@code setpriv --pdeathsig} (util-linux) is available, every child is started through it, so the kernel
 * kills it even when the local cloud's JVM is killed with SIGKILL and no shutdown hook runs. The parent-death signal
 * fires when the <em>thread</em> that started the child ends, so all children are started from one long-lived
 * launcher thread that lives as long as this launcher.
 */
final class EnvironmentLauncher implements AutoCloseable {

    static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** One class from each jar the runtime client needs: itself, the core interfaces, its serialization, utils-lite. */
    private static final List<String> RUNTIME_CLIENT_CLASSES = List.of(
            RUNTIME_CLIENT_MAIN,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

    private final ExecutorService launcherThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lambda-environment-launcher");
        thread.setDaemon(true);
        return thread;
    });
    /** The runtime client reads the path of its JNI library from this property before falling back to /tmp. */
    private static final String JNI_LIBRARY_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final String runtimeClientClasspath = runtimeClientClasspath();
    private final Optional<Path> setpriv = setprivWithParentDeathSignal();
    private final Path jniLibrary;

    /**
     * Extracts the runtime client's JNI library once into {@code workDirectory}. Left to itself, every runtime
     * client JVM copies it to the fixed path {@code /tmp/.libaws-lambda-jni.so} while starting; two environments
     * starting at once overwrite the file another one is mapping, and that JVM dies with SIGBUS.
     */
    EnvironmentLauncher(Path workDirectory) {
        String arch = System.getProperty("os.arch");
        String library = arch.equals("aarch64") ? "libaws-lambda-jni.linux-aarch_64.so" : "libaws-lambda-jni.linux-x86_64.so";
        try (var in = Class.forName(RUNTIME_CLIENT_MAIN).getResourceAsStream("/jni/" + library)) {
            if (in == null) {
                throw new IllegalStateException("the runtime client jar has no /jni/" + library + " for " + arch);
            }
            jniLibrary = Files.createDirectories(workDirectory.resolve("jni")).resolve(library);
            Files.copy(in, jniLibrary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot extract the runtime client's JNI library: " + e.getMessage(), e);
        }
    }

    /** True when children are started through {@code setpriv --pdeathsig SIGKILL}. */
    boolean usesParentDeathSignal() {
        return setpriv.isPresent();
    }

    /** The JVM command of one environment. */
    List<String> command(JavaRuntime jdk, FunctionVersion function, InitializationType initType) {
        List<String> command = new ArrayList<>();
        setpriv.ifPresent(path -> command.addAll(List.of(path.toString(), "--pdeathsig", "SIGKILL", "--")));
        command.add(jdk.javaExecutable().toString());
        command.addAll(managedRuntimeOptions(jdk, function.memorySizeMb(), initType));
        command.add("-D" + JNI_LIBRARY_PROPERTY + "=" + jniLibrary);
        command.add("-cp");
        command.add(runtimeClientClasspath);
        command.add(RUNTIME_CLIENT_MAIN);
        command.add(function.handler());
        return command;
    }

    /**
     * The options the managed Java runtimes start the JVM with. Documented (Lambda developer guide, "Customize Java
     * runtime startup behavior"): tiered compilation stops at level 1 on java17 and java21, and on java25 except
     * with provisioned concurrency or SnapStart, which get the JVM's default tiering; the serial collector is the
     * default GC. Not documented: the heap limit, set here to 85 % of the memory size as reported for the managed
     * runtimes' launch line ({@code -XX:MaxHeapSize}); metaspace and code cache are left to the JVM because the
     * reported limits could not be confirmed and would make small functions fail only locally.
     */
    static List<String> managedRuntimeOptions(JavaRuntime jdk, int memorySizeMb, InitializationType initType) {
        long memoryKb = memorySizeMb * 1024L;
        List<String> options = new ArrayList<>(List.of(
                "-XX:MaxHeapSize=" + memoryKb * 85 / 100 + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto",
                "-Djava.net.preferIPv4Stack=true"));
        boolean defaultTiering = jdk.featureVersion() >= 25 && initType == InitializationType.PROVISIONED_CONCURRENCY;
        if (!defaultTiering) {
            options.addAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        }
        if (jdk.featureVersion() >= 22) {
            // The runtime client loads its JNI library with System.load; JDK 22+ warns on stderr without this.
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options;
    }

    /** Starts the process from the launcher thread (see the class comment for why). */
    Process start(List<String> command, Map<String, String> environment, Path workingDirectory) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        try {
            return launcherThread.submit(builder::start).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("could not start " + command.get(0) + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting an execution environment", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("starting an execution environment took more than 30 s", e);
        }
    }

    @Override
    public void close() {
        launcherThread.shutdownNow();
    }

    private static String runtimeClientClasspath() {
        Set<String> jars = new LinkedHashSet<>();
        for (String className : RUNTIME_CLIENT_CLASSES) {
            try {
                Class<?> type = Class.forName(className, false, EnvironmentLauncher.class.getClassLoader());
                var source = type.getProtectionDomain().getCodeSource();
                if (source == null) {
                    throw new IllegalStateException("cannot locate the jar of " + className);
                }
                jars.add(Path.of(source.getLocation().toURI()).toString());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(className + " is not on the classpath: the local Lambda service "
                        + "needs com.amazonaws:aws-lambda-java-runtime-interface-client and its dependencies", e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot locate the jar of " + className, e);
            }
        }
        return String.join(File.pathSeparator, jars);
    }

    /** {@code setpriv} from the PATH when it knows {@code --pdeathsig} (util-linux 2.33 and newer). */
    private static Optional<Path> setprivWithParentDeathSignal() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "setpriv");
            if (!Files.isExecutable(candidate)) {
                continue;
            }
            try {
                Process help = new ProcessBuilder(candidate.toString(), "--help").redirectErrorStream(true).start();
                String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                help.waitFor(5, TimeUnit.SECONDS);
                return text.contains("--pdeathsig") ? Optional.of(candidate) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temporary directory is harmless.
        }
    }
}
