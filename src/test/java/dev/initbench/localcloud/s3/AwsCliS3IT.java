package dev.initbench.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.initbench.localcloud.LocalCloud;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real AWS CLI against the local S3, as the README tells a user to run it: {@code aws s3 cp} of a file above
 * the CLI's 8 MB multipart threshold up and down, {@code sync}, {@code ls} and {@code rm}.
 */
class AwsCliS3IT {

    private static final int MIB = 1024 * 1024;
    private static LocalCloud cloud;

    @BeforeAll
    static void start() {
        assumeTrue(awsOnPath(), "the AWS CLI ('aws') is not on PATH: install it to run this test");
        cloud = LocalCloud.builder().start();
    }

    @AfterAll
    static void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void cpOfAFileAboveTheMultipartThresholdRoundTrips(@TempDir Path folder) throws Exception {
        Path artifact = folder.resolve("initbench-functions.zip");
        Files.write(artifact, MultipartUploadTest.random(9 * MIB + 77, 9));
        Path downloaded = folder.resolve("downloaded.zip");

        aws(folder, "s3", "mb", "s3://demo");
        String upload = aws(folder, "s3", "cp", artifact.toString(), "s3://demo/fn.zip");
        aws(folder, "s3", "cp", "s3://demo/fn.zip", downloaded.toString());
        String head = aws(folder, "s3api", "head-object", "--bucket", "demo", "--key", "fn.zip");

        assertThat(upload).contains("upload:").contains("s3://demo/fn.zip");
        assertThat(Files.mismatch(artifact, downloaded)).isEqualTo(-1);
        assertThat(head).contains("\"ContentLength\": " + (9 * MIB + 77))
                .containsPattern("\"ETag\": \"\\\\\"[0-9a-f]{32}-2");
    }

    @Test
    void syncLsAndRmWorkOnAFolder(@TempDir Path folder) throws Exception {
        Path site = Files.createDirectories(folder.resolve("site/assets"));
        Files.writeString(folder.resolve("site/index.html"), "<h1>hi</h1>");
        Files.write(site.resolve("big.bin"), MultipartUploadTest.random(10 * MIB, 10));
        Files.writeString(site.resolve("app.js"), "console.log(1)");

        aws(folder, "s3", "mb", "s3://sync-target");
        String firstSync = aws(folder, "s3", "sync", folder.resolve("site").toString(), "s3://sync-target/site");
        String secondSync = aws(folder, "s3", "sync", folder.resolve("site").toString(), "s3://sync-target/site");
        String listing = aws(folder, "s3", "ls", "--recursive", "s3://sync-target/");
        Path back = folder.resolve("back");
        aws(folder, "s3", "sync", "s3://sync-target/site", back.toString());
        aws(folder, "s3", "rm", "s3://sync-target/site/index.html");
        String afterRm = aws(folder, "s3", "ls", "--recursive", "s3://sync-target/");
        aws(folder, "s3", "rm", "--recursive", "s3://sync-target/site");
        String empty = aws(folder, "s3", "ls", "--recursive", "s3://sync-target/");

        assertThat(firstSync.lines().filter(line -> line.contains("upload:"))).hasSize(3);
        assertThat(secondSync).doesNotContain("upload:");
        assertThat(listing).contains("site/index.html", "site/assets/app.js", "site/assets/big.bin")
                .contains(Integer.toString(10 * MIB));
        assertThat(Files.mismatch(site.resolve("big.bin"), back.resolve("assets/big.bin"))).isEqualTo(-1);
        assertThat(Files.readString(back.resolve("index.html"))).isEqualTo("<h1>hi</h1>");
        assertThat(afterRm).doesNotContain("index.html").contains("site/assets/app.js");
        assertThat(empty).isBlank();
    }

    /** Runs {@code aws} with the local cloud's environment and no profile files; fails with its output. */
    private static String aws(Path workDir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        environment.putAll(cloud.environment());
        environment.put("AWS_CONFIG_FILE", workDir.resolve("no-config").toString());
        environment.put("AWS_SHARED_CREDENTIALS_FILE", workDir.resolve("no-credentials").toString());
        environment.put("AWS_PAGER", "");
        Path output = Files.createTempFile(workDir, "aws-", ".out");
        builder.redirectOutput(output.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError("aws " + String.join(" ", arguments) + " did not finish in 120 s:\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("aws %s exit status; output:%n%s", String.join(" ", arguments), text)
                .isZero();
        return text;
    }

    private static boolean awsOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, "aws"))) {
                return true;
            }
        }
        return false;
    }
}
