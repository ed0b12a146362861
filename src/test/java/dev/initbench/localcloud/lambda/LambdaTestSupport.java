package dev.initbench.localcloud.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.logs.LogStore;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.s3.ObjectReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Shared by the tests of the Lambda service and the HTTP API: deployment packages, an S3 stand-in, cleanup checks. */
public final class LambdaTestSupport {

    public static final String BUCKET = "artifacts";
    public static final String FUNCTIONS_KEY = "initbench-functions.zip";
    public static final String NODE_FUNCTIONS_KEY = "initbench-nodejs-functions.zip";
    public static final String MISBEHAVING_KEY = "misbehaving.zip";
    public static final String MISBEHAVING_HANDLER = MisbehavingHandler.class.getName() + "::handleRequest";
    public static final String INIT_STARTED_WORK_KEY = "init-started-work.zip";
    public static final String INIT_STARTED_WORK_HANDLER = InitStartedWorkHandler.class.getName() + "::handleRequest";

    private LambdaTestSupport() {
    }

    /** An object store holding the project's Java and Node.js function artifacts and the misbehaving test function. */
    public static ObjectReader objects() {
        Map<String, java.util.function.Supplier<byte[]>> packages = Map.of(FUNCTIONS_KEY, LambdaTestSupport::functionsZip,
                MISBEHAVING_KEY, LambdaTestSupport::misbehavingZip,
                INIT_STARTED_WORK_KEY, LambdaTestSupport::initStartedWorkZip,
                NODE_FUNCTIONS_KEY, LambdaTestSupport::nodeFunctionsZip);
        Map<String, byte[]> objects = new ConcurrentHashMap<>(); // each zip built when first read
        return (bucket, key) -> {
            if (!BUCKET.equals(bucket)) {
                throw new AwsServiceException("NoSuchBucket", 404, "The specified bucket does not exist");
            }
            if (!packages.containsKey(key)) {
                throw new AwsServiceException("NoSuchKey", 404, "The specified key does not exist.");
            }
            return objects.computeIfAbsent(key, name -> packages.get(name).get());
        };
    }

    /** A function of {@link MisbehavingHandler} with 256 MB, deployed from {@link #MISBEHAVING_KEY}. */
    public static LambdaService.FunctionSpec misbehavingFunction(String name, String runtime, int timeoutSeconds,
                                                                 Map<String, String> variables) {
        return new LambdaService.FunctionSpec(name, runtime, MISBEHAVING_HANDLER, 256, timeoutSeconds,
                "arn:aws:iam::123456789012:role/test", "", variables, LambdaService.Code.s3(BUCKET, MISBEHAVING_KEY));
    }

    public static CloudContext context(URI endpoint) {
        return new CloudContext(endpoint, "us-east-1", "123456789012", "AKIATESTLOCAL", "test-secret");
    }

    /**
     * SDK jars the function needs at run time that the build's artifact (src/assembly/lambda-zip.xml) leaves out:
     * Maven's transitive filtering attributes them to the s3 dependency, not to ssm, so the real function fails with
     * NoClassDefFoundError: software/amazon/awssdk/profiles/ProfileFile. Reported to the lead; until the assembly
     * is fixed, the tests add them from the test classpath. One class per jar.
     */
    private static final List<String> JARS_MISSING_FROM_ARTIFACT = List.of(
            "software.amazon.awssdk.profiles.ProfileFile",
            "software.amazon.awssdk.checksums.DefaultChecksumAlgorithm",
            "software.amazon.awssdk.checksums.spi.ChecksumAlgorithm");

    /** The project's Lambda artifact as the build made it, plus the jars it misses (see above). */
    public static byte[] functionsZip() {
        return functionsZipWith(List.of());
    }

    /** The project's artifact (with its SDK jars) plus {@link InitStartedWorkHandler} at its root. */
    public static byte[] initStartedWorkZip() {
        return functionsZipWith(List.of(InitStartedWorkHandler.class));
    }

    private static byte[] functionsZipWith(List<Class<?>> testClasses) {
        String path = System.getProperty("lambda.artifact.path");
        assertThat(path).as("system property lambda.artifact.path (set by the build)").isNotNull();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            java.util.Set<String> names = new java.util.HashSet<>();
            try (ZipOutputStream out = new ZipOutputStream(bytes);
                 java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(
                         Files.newInputStream(Path.of(path)))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    names.add(entry.getName());
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
                for (Class<?> testClass : testClasses) {
                    Path classes = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
                    String entry = testClass.getName().replace('.', '/') + ".class";
                    out.putNextEntry(new ZipEntry(entry));
                    out.write(Files.readAllBytes(classes.resolve(entry)));
                    out.closeEntry();
                }
                for (String className : JARS_MISSING_FROM_ARTIFACT) {
                    Path jar = Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation()
                            .toURI());
                    String name = "lib/" + jar.getFileName();
                    if (names.add(name)) {
                        out.putNextEntry(new ZipEntry(name));
                        out.write(Files.readAllBytes(jar));
                        out.closeEntry();
                    }
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The project's Node.js functions artifact as the build made it. */
    public static byte[] nodeFunctionsZip() {
        String path = System.getProperty("nodejs.functions.artifact.path");
        assertThat(path).as("system property nodejs.functions.artifact.path (set by the build)").isNotNull();
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A zip with just {@link MisbehavingHandler} at its root. */
    public static byte[] misbehavingZip() {
        try {
            Path classes = Path.of(MisbehavingHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String entry = MisbehavingHandler.class.getName().replace('.', '/') + ".class";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(Files.readAllBytes(classes.resolve(entry)));
                zip.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runtime-client processes (JVMs and Node.js) started by this test JVM that are still running, read from the process table. */
    public static List<String> runningEnvironmentProcesses() {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .map(process -> process.pid() + " " + process.info().commandLine().orElse("?"))
                .filter(line -> line.contains(JavaRuntimeFamily.RUNTIME_CLIENT_MAIN)
                        || line.contains(NodeRuntimeFamily.RUNTIME_CLIENT_ENTRY))
                .toList();
    }

    /** Asserts that the given pids are gone and no runtime-client process of this test JVM is left. */
    public static void assertNoEnvironmentProcessLeft(List<Long> pids) {
        List<Long> alive = pids.stream().filter(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent())
                .toList();
        assertThat(alive).as("environment processes still running after their Lambda service closed").isEmpty();
        assertThat(runningEnvironmentProcesses()).as("runtime client processes of this test JVM still running")
                .isEmpty();
    }

    /** Every line of a log group, stream by stream, for failure messages. */
    public static String logLines(LogStore logs, String group) {
        StringBuilder text = new StringBuilder();
        for (String stream : logs.streamNames(group)) {
            text.append("--- ").append(stream).append('\n');
            logs.events(group, stream).forEach(event -> text.append(event.message()).append('\n'));
        }
        return text.toString();
    }
}
