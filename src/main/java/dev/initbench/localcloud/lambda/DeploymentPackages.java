package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.s3.ObjectReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Deployment packages and the work directory they are unpacked into: fetched from S3 or given inline, unpacked to
 * {@code <work>/<function>-<uuid>/task} (an environment's {@code LAMBDA_TASK_ROOT}). A temporary work directory is
 * named after this process, removed on close, and removed by the next service when this process was killed.
 */
final class DeploymentPackages implements AutoCloseable {

    private static final String WORK_DIRECTORY_PREFIX = "initbench-lambda-";

    /** An unpacked package. */
    record Unpacked(Path codeDirectory, long codeSize, String codeSha256) {
    }

    private final ObjectReader objects;
    private final Path workDirectory;
    private final boolean ownsWorkDirectory;

    DeploymentPackages(ObjectReader objects, Optional<Path> configuredWorkDirectory) {
        this.objects = objects;
        this.ownsWorkDirectory = configuredWorkDirectory.isEmpty();
        try {
            if (ownsWorkDirectory) {
                removeWorkDirectoriesOfEndedProcesses();
            }
            this.workDirectory = ownsWorkDirectory
                    ? Files.createTempDirectory(WORK_DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-")
                    : Files.createDirectories(configuredWorkDirectory.get());
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the Lambda work directory: " + e.getMessage(), e);
        }
    }

    Path workDirectory() {
        return workDirectory;
    }

    /** The package's bytes, from S3 or inline. */
    byte[] fetch(LambdaService.Code code) {
        if (code == null) {
            throw LambdaErrors.invalid("Code is required: give S3Bucket and S3Key, or ZipFile");
        }
        if (code.zipFile().isPresent()) {
            return code.zipFile().get();
        }
        if (code.s3Bucket().isEmpty() || code.s3Key().isEmpty()) {
            throw LambdaErrors.invalid("Code needs both S3Bucket and S3Key (or ZipFile)");
        }
        try {
            return objects.getObject(code.s3Bucket().get(), code.s3Key().get());
        } catch (AwsServiceException e) {
            throw LambdaErrors.invalid("Error occurred while GetObject. S3 Error Code: " + e.errorCode()
                    + ". S3 Error Message: " + e.getMessage());
        }
    }

    /** Unpacks {@code zip} into a new directory of the function. */
    Unpacked unpack(String functionName, byte[] zip) {
        try {
            Path root = Files.createDirectories(workDirectory.resolve(functionName + "-" + UUID.randomUUID()));
            Path code = Files.createDirectories(root.resolve("task"));
            int entries = 0;
            try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; entries++) {
                    Path target = code.resolve(entry.getName()).normalize();
                    if (!target.startsWith(code)) {
                        deleteTree(root);
                        throw LambdaErrors.invalid("the deployment package has an entry outside its root: "
                                + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target);
                    }
                }
            }
            if (entries == 0) {
                deleteTree(root);
                throw LambdaErrors.invalid("Could not unzip uploaded file. Please check your file, then try to "
                        + "upload again.");
            }
            return new Unpacked(code, zip.length, sha256(zip));
        } catch (IOException e) {
            throw LambdaErrors.invalid("Could not unzip uploaded file: " + e.getMessage());
        }
    }

    /** Removes an unpacked package (the directory above its code directory). */
    void delete(Path codeDirectory) {
        deleteTree(codeDirectory.getParent());
    }

    /** Removes the work directory when it is a temporary one; idempotent. */
    @Override
    public void close() {
        if (ownsWorkDirectory) {
            deleteTree(workDirectory);
        }
    }

    /**
     * Temporary work directories are named after the owning process; one whose process has ended (killed with
     * SIGKILL, so neither close() nor the shutdown hook ran) is removed by the next service that starts.
     */
    private static void removeWorkDirectoriesOfEndedProcesses() {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var entries = Files.list(temp)) {
            entries.filter(path -> path.getFileName().toString().startsWith(WORK_DIRECTORY_PREFIX)).forEach(path -> {
                String rest = path.getFileName().toString().substring(WORK_DIRECTORY_PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash > 0 && rest.substring(0, dash).chars().allMatch(Character::isDigit)
                        && ProcessHandle.of(Long.parseLong(rest.substring(0, dash))).map(p -> !p.isAlive())
                        .orElse(true)) {
                    deleteTree(path);
                }
            });
        } catch (IOException e) {
            // Leftovers are harmless; the next start tries again.
        }
    }

    /** Deletes a directory tree, ignoring what is already gone. */
    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temporary directory is harmless.
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
