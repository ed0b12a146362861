package dev.initbench.localcloud.lambda;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The managed Java runtimes: a JDK chosen by {@link JavaRuntime#resolve} runs {@code java <managed-runtime options>
 * -cp <runtime client> com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>}.
 */
final class JavaRuntimeFamily implements RuntimeFamily {

    static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

    /** One class from each jar the runtime client needs: itself, the core interfaces, its serialization, utils-lite. */
    private static final List<String> RUNTIME_CLIENT_CLASSES = List.of(
            RUNTIME_CLIENT_MAIN,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");
    /** The runtime client reads the path of its JNI library from this property before falling back to /tmp. */
    static final String JNI_LIBRARY_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final String runtimeClientClasspath = locateRuntimeClient();
    private final Path jniLibrary;
    private final Path archiveCache;

    /**
     * Extracts the runtime client's JNI library once into {@code workDirectory}. Left to itself, every runtime
     * client JVM copies it to the fixed path {@code /tmp/.libaws-lambda-jni.so} while starting; two environments
     * starting at once overwrite the file another one is mapping, and that JVM dies with SIGBUS.
     */
    JavaRuntimeFamily(Path workDirectory) {
        this(workDirectory, defaultArchiveCache());
    }

    /** As above, keeping the runtime class-data archives ({@link RuntimeClassArchive}) in {@code archiveCache}. */
    JavaRuntimeFamily(Path workDirectory, Path archiveCache) {
        this.archiveCache = archiveCache;
        String arch = System.getProperty("os.arch");
        String library = arch.equals("aarch64") ? "libaws-lambda-jni.linux-aarch_64.so"
                : "libaws-lambda-jni.linux-x86_64.so";
        try (var in = Class.forName(RUNTIME_CLIENT_MAIN).getResourceAsStream("/jni/" + library)) {
            if (in == null) {
                throw new IllegalStateException("the runtime client jar has no /jni/" + library + " for " + arch);
            }
            jniLibrary = Files.createDirectories(workDirectory.resolve("jni")).resolve(library);
            Files.copy(in, jniLibrary, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot extract the runtime client's JNI library: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> runtimes() {
        return JavaRuntime.SUPPORTED;
    }

    @Override
    public PreparedRuntime prepare(String runtime, LambdaSettings settings) {
        return new PreparedJdk(JavaRuntime.resolve(runtime, settings));
    }

    /**
     * The options the managed Java runtimes start the JVM with. Documented (Lambda developer guide, "Customize Java
     * runtime startup behavior"): tiered compilation stops at level 1 on java17 and java21, and on java25 except
     * with provisioned concurrency or SnapStart, which get the JVM's default tiering; the serial collector is the
     * default GC. Not documented: the heap limit, set here to 85 % of the memory size as reported for the managed
     * runtimes' launch line ({@code -XX:MaxHeapSize}); metaspace and code cache are left to the JVM because the
     * reported limits could not be confirmed and would make small functions fail only locally. The same launch line
     * maps the runtime's class-data archive ({@code -Xshare:on -XX:SharedArchiveFile=...runtime.jsa}); here
     * {@code runtimeArchive} ({@link RuntimeClassArchive}) with {@code -Xshare:auto}, so a function whose
     * {@code JAVA_TOOL_OPTIONS} rule sharing out still starts. The same line loads a Java agent
     * ({@code -javaagent:/var/runtime/lib/Log4jHotPatch.jar}) that is not reproduced here: see the README.
     */
    static List<String> managedRuntimeOptions(JavaRuntime jdk, int memorySizeMb, InitializationType initType,
                                              Optional<Path> runtimeArchive) {
        long memoryKb = memorySizeMb * 1024L;
        List<String> options = new ArrayList<>(List.of(
                "-XX:MaxHeapSize=" + memoryKb * 85 / 100 + "k",
                "-XX:+UseSerialGC",
                "-Xshare:auto"));
        runtimeArchive.ifPresent(archive -> options.add("-XX:SharedArchiveFile=" + archive));
        options.add("-Djava.net.preferIPv4Stack=true");
        boolean defaultTiering = jdk.featureVersion() >= 25 && initType == InitializationType.PROVISIONED_CONCURRENCY;
        if (!defaultTiering) {
            options.addAll(List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"));
        }
        // Also on the reported launch line: reflective access into java.io works as there, org.crac resolves to the
        // runtime client's implementation, and a JVM crash report goes to the function's log.
        options.addAll(List.of("--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-XX:+ErrorFileToStderr"));
        if (jdk.featureVersion() >= 22) {
            // The runtime client loads its JNI library with System.load; JDK 22+ warns on stderr without this.
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options;
    }

    /** The runtime client's class path (its jars and their dependencies), as environments get it. */
    String runtimeClientClasspath() {
        return runtimeClientClasspath;
    }

    /** The runtime class-data archive of {@code jdk}, built into the cache on first use (see RuntimeClassArchive). */
    RuntimeClassArchive.Outcome runtimeArchive(JavaRuntime jdk) {
        return RuntimeClassArchive.obtain(jdk, runtimeClientClasspath, jniLibrary, archiveCache);
    }

    /** {@code $XDG_CACHE_HOME} or {@code ~/.cache}, under {@code lambda-init-bench/runtime-archives}. */
    private static Path defaultArchiveCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("lambda-init-bench").resolve("runtime-archives");
    }

    /** One chosen JDK. */
    private final class PreparedJdk implements PreparedRuntime {
        private final JavaRuntime jdk;
        private RuntimeClassArchive.Outcome archive;

        private PreparedJdk(JavaRuntime jdk) {
            this.jdk = jdk;
        }

        @Override
        public EnvironmentFootprint footprint() {
            return EnvironmentFootprint.JAVA;
        }

        /** Obtained when the first environment starts, not when the function is created. */
        private synchronized RuntimeClassArchive.Outcome archive() {
            if (archive == null) {
                archive = runtimeArchive(jdk);
            }
            return archive;
        }

        @Override
        public RuntimeInstallation installation() {
            return jdk;
        }

        @Override
        public ProcessLaunch launch(FunctionVersion function, InitializationType initializationType) {
            List<String> command = new ArrayList<>();
            command.add(jdk.javaExecutable().toString());
            command.addAll(managedRuntimeOptions(jdk, function.memorySizeMb(), initializationType,
                    archive().archive()));
            command.add("-D" + JNI_LIBRARY_PROPERTY + "=" + jniLibrary);
            command.add("-cp");
            command.add(runtimeClientClasspath);
            command.add(RUNTIME_CLIENT_MAIN);
            command.add(function.handler());
            return new ProcessLaunch(command, Map.of());
        }

        @Override
        public String initStartDescription(FunctionVersion function) {
            return "Runtime Version: " + function.runtime().replace("java", "java:") + ".local\tJDK: "
                    + jdk.fullVersion() + " " + jdk.javaHome()
                    + jdk.substitution().map(note -> "\tSubstituted: " + note).orElse("")
                    + "\tRuntime class archive: " + archive().description();
        }
    }

    private static String locateRuntimeClient() {
        Set<String> jars = new LinkedHashSet<>();
        for (String className : RUNTIME_CLIENT_CLASSES) {
            try {
                Class<?> type = Class.forName(className, false, JavaRuntimeFamily.class.getClassLoader());
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
}
