package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.s3.ObjectReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
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
 * {@code <work>/<function>-<uuid>/task} (an environment's {@code LAMBDA_TASK_ROOT}). A temporary work directory
 * ({@code initbench-lambda-<pid>-<n>} in {@code java.io.tmpdir}) is removed on close, and removed by the next service
 * when this process was killed. Whether its owner still runs is told by a lock, not by the pid: the owner holds an
 * exclusive lock on the sibling file {@code initbench-lambda-<pid>-<n>.lock} from before the directory exists until
 * after it is gone, and the kernel drops the lock when the owner dies, however it dies. A pid cannot tell: it is
 * reused, and a live owner in another pid namespace sharing the directory (a container) has a pid this one cannot see.
 */
final class DeploymentPackages implements AutoCloseable {

    private static final String WORK_DIRECTORY_PREFIX = "initbench-lambda-";
    private static final String LOCK_SUFFIX = ".lock";

    /** An unpacked package. */
    record Unpacked(Path codeDirectory, long codeSize, String codeSha256) {
    }

    private final ObjectReader objects;
    private final Path workDirectory;
    /** Open, holding the lock, while this service owns a temporary work directory; empty for a configured one. */
    private final Optional<FileChannel> ownerLock;

    DeploymentPackages(ObjectReader objects, Optional<Path> configuredWorkDirectory) {
        this.objects = objects;
        try {
            if (configuredWorkDirectory.isPresent()) {
                this.workDirectory = Files.createDirectories(configuredWorkDirectory.get());
                this.ownerLock = Optional.empty();
            } else {
                Path temp = Path.of(System.getProperty("java.io.tmpdir"));
                removeWorkDirectoriesOfEndedOwners(temp);
                Path lockFile = Files.createTempFile(temp, WORK_DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-",
                        LOCK_SUFFIX);
                this.ownerLock = Optional.of(lock(lockFile));
                this.workDirectory = Files.createDirectory(directoryOf(lockFile), ownerOnly(temp));
            }
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

    /** Removes the work directory, then its lock, when it is a temporary one; idempotent. */
    @Override
    public void close() {
        ownerLock.ifPresent(lock -> removeHolding(lock, workDirectory));
    }

    /**
     * Removes the temporary work directories whose owner has ended (killed with SIGKILL, so neither close() nor the
     * shutdown hook ran): those whose lock can be taken. Directories of this process are skipped: they are live, and
     * opening their lock file here would drop their lock (POSIX locks belong to the process, and closing any of its
     * channels on the file releases them).
     */
    private static void removeWorkDirectoriesOfEndedOwners(Path temp) {
        String ownPrefix = WORK_DIRECTORY_PREFIX + ProcessHandle.current().pid() + "-";
        try (var entries = Files.list(temp)) {
            entries.filter(path -> isWorkDirectoryName(path.getFileName().toString()) && Files.isDirectory(path)
                    && !path.getFileName().toString().startsWith(ownPrefix)).forEach(DeploymentPackages::removeIfEnded);
        } catch (IOException e) {
            // Leftovers are harmless; the next start tries again.
        }
    }

    private static void removeIfEnded(Path directory) {
        Path lockFile = lockFileOf(directory);
        if (!Files.exists(lockFile)) {
            // Left by a build from before the lock: its pid is all there is to go by.
            String pid = directory.getFileName().toString().substring(WORK_DIRECTORY_PREFIX.length()).split("-")[0];
            if (ProcessHandle.of(Long.parseLong(pid)).map(process -> !process.isAlive()).orElse(true)) {
                deleteTree(directory);
            }
            return;
        }
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                channel.close(); // its owner runs
            } else {
                removeHolding(channel, directory);
            }
        } catch (IOException e) {
            // Not ours to judge (another user's, or just removed by another service).
        }
    }

    /** Locks a new lock file; nobody else locks one whose directory does not exist yet, so this does not wait. */
    private static FileChannel lock(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return channel;
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(lockFile);
            throw e;
        }
    }

    /** Unpacked code is for this user's environments only, as in a directory from createTempDirectory. */
    private static FileAttribute<?>[] ownerOnly(Path temp) {
        return temp.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    /** {@code initbench-lambda-<pid>-<n>}. */
    private static boolean isWorkDirectoryName(String name) {
        if (!name.startsWith(WORK_DIRECTORY_PREFIX) || name.endsWith(LOCK_SUFFIX)) {
            return false;
        }
        String[] parts = name.substring(WORK_DIRECTORY_PREFIX.length()).split("-", 2);
        return parts.length == 2 && !parts[0].isEmpty() && parts[0].length() <= 18
                && parts[0].chars().allMatch(Character::isDigit);
    }

    private static Path lockFileOf(Path directory) {
        return directory.resolveSibling(directory.getFileName() + LOCK_SUFFIX);
    }

    private static Path directoryOf(Path lockFile) {
        String name = lockFile.getFileName().toString();
        return lockFile.resolveSibling(name.substring(0, name.length() - LOCK_SUFFIX.length()));
    }

    /**
     * Removes a work directory, then its lock file, then lets go of the lock (closing the channel that holds it):
     * whoever takes the lock next finds nothing left to remove.
     */
    private static void removeHolding(FileChannel lock, Path directory) {
        try (lock) {
            deleteTree(directory);
            Files.deleteIfExists(lockFileOf(directory));
        } catch (IOException e) {
            // Best effort: a leftover empty lock file is harmless.
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
