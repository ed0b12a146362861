package dev.initbench.localcloud.s3;

import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.state.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The buckets and objects of the local S3. With a data folder, an object's bytes are written to
 * {@code s3/objects/<uuid>} and forced to disk, then the metadata of every bucket is rewritten to
 * {@code s3/buckets.json}, before the request that changed them is acknowledged; the store starts from those
 * files. Thread-safe.
 */
public final class ObjectStore {

    /** An object's metadata; {@code bodyFile} names its bytes in the data folder (null in memory-only mode). */
    public record ObjectMeta(String key, long size, String etag, long lastModifiedMillis, String contentType,
                             Map<String, String> userMetadata, String crc32, String bodyFile) {
    }

    /** A bucket's persisted form; {@code tags} is absent in state written before tagging was emulated. */
    public record BucketState(String name, long creationMillis, String region, List<ObjectMeta> objects,
                              Map<String, String> tags) {
    }

    /** The persisted form of the whole store. */
    public record State(List<BucketState> buckets) {
    }

    /** An object with its bytes. */
    public record StoredObject(ObjectMeta meta, byte[] body) {
    }

    /** A bucket as listed. */
    public record BucketInfo(String name, long creationMillis, String region) {
    }

    private record Bucket(BucketInfo info, TreeMap<String, StoredObject> objects, Map<String, String> tags) {
    }

    private final Map<String, Bucket> buckets = new TreeMap<>();
    private final Optional<Path> directory;
    private final Optional<StateFile<State>> stateFile;

    public ObjectStore(Optional<Path> dataDirectory) {
        this.directory = dataDirectory.map(dir -> dir.resolve("s3"));
        this.stateFile = directory.map(dir -> new StateFile<>(dir.resolve("buckets.json"), State.class));
        stateFile.flatMap(StateFile::read).ifPresent(this::restore);
    }

    private void restore(State state) {
        for (BucketState saved : state.buckets()) {
            Bucket bucket = new Bucket(new BucketInfo(saved.name(), saved.creationMillis(), saved.region()),
                    new TreeMap<>(), new TreeMap<>(saved.tags() == null ? Map.of() : saved.tags()));
            for (ObjectMeta meta : saved.objects()) {
                Path file = directory.orElseThrow().resolve("objects").resolve(meta.bodyFile());
                try {
                    bucket.objects().put(meta.key(), new StoredObject(meta, Files.readAllBytes(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot restore S3 object s3://" + saved.name() + "/" + meta.key()
                            + " from " + file + ": the data folder is damaged; move it away to start empty", e);
                }
            }
            buckets.put(saved.name(), bucket);
        }
    }

    /** Creates the bucket; false when it exists already. */
    public synchronized boolean createBucket(String name, String region) {
        if (buckets.containsKey(name)) {
            return false;
        }
        buckets.put(name, new Bucket(new BucketInfo(name, System.currentTimeMillis(), region), new TreeMap<>(),
                new TreeMap<>()));
        persist();
        return true;
    }

    public synchronized Optional<BucketInfo> bucket(String name) {
        return Optional.ofNullable(buckets.get(name)).map(Bucket::info);
    }

    public synchronized List<BucketInfo> buckets() {
        return buckets.values().stream().map(Bucket::info).toList();
    }

    /** Deletes an empty bucket; {@code NoSuchBucket} or {@code BucketNotEmpty} otherwise. */
    public synchronized void deleteBucket(String name) {
        Bucket bucket = existing(name);
        if (!bucket.objects().isEmpty()) {
            throw new AwsServiceException("BucketNotEmpty", 409, "The bucket you tried to delete is not empty: "
                    + name + " still holds " + bucket.objects().size() + " object(s); delete them first.");
        }
        buckets.remove(name);
        persist();
    }

    /** Replaces the bucket's tag set (an empty map removes it). */
    public synchronized void putBucketTags(String name, Map<String, String> tags) {
        Bucket bucket = existing(name);
        bucket.tags().clear();
        bucket.tags().putAll(tags);
        persist();
    }

    /** The bucket's tags, empty when it has none. */
    public synchronized Map<String, String> bucketTags(String name) {
        return Map.copyOf(existing(name).tags());
    }

    /** Stores an object, replacing any with the same key. */
    public synchronized ObjectMeta put(String bucketName, String key, byte[] body, String etag, String contentType,
                                       Map<String, String> userMetadata, String crc32) {
        Bucket bucket = existing(bucketName);
        String bodyFile = directory.map(dir -> writeBody(dir, body)).orElse(null);
        ObjectMeta meta = new ObjectMeta(key, body.length, etag, System.currentTimeMillis(), contentType,
                Map.copyOf(userMetadata), crc32, bodyFile);
        StoredObject previous = bucket.objects().put(key, new StoredObject(meta, body));
        persist();
        if (previous != null) {
            deleteBody(previous.meta());
        }
        return meta;
    }

    public synchronized StoredObject get(String bucketName, String key) {
        StoredObject object = existing(bucketName).objects().get(key);
        if (object == null) {
            throw new AwsServiceException("NoSuchKey", 404, "The specified key does not exist: s3://" + bucketName
                    + "/" + key);
        }
        return object;
    }

    /** Deletes an object; deleting a missing key succeeds, as on S3. */
    public synchronized void delete(String bucketName, String key) {
        StoredObject removed = existing(bucketName).objects().remove(key);
        if (removed != null) {
            persist();
            deleteBody(removed.meta());
        }
    }

    /** Metadata of the bucket's objects whose key is greater than {@code after}, in key order. */
    public synchronized List<ObjectMeta> objectsAfter(String bucketName, String after, String prefix) {
        List<ObjectMeta> list = new ArrayList<>();
        for (StoredObject object : existing(bucketName).objects().tailMap(after, false).values()) {
            if (object.meta().key().startsWith(prefix)) {
                list.add(object.meta());
            }
        }
        return list;
    }

    private Bucket existing(String name) {
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            throw new AwsServiceException("NoSuchBucket", 404, "The specified bucket does not exist: " + name);
        }
        return bucket;
    }

    private static String writeBody(Path dir, byte[] body) {
        String name = UUID.randomUUID().toString();
        try {
            Path objects = Files.createDirectories(dir.resolve("objects"));
            try (FileChannel channel = FileChannel.open(objects.resolve(name), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(body);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try (FileChannel directory = FileChannel.open(objects, StandardOpenOption.READ)) {
                directory.force(true);
            } catch (IOException e) {
                // Some file systems cannot sync a directory; the file's own data is on disk already.
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an S3 object body to " + dir, e);
        }
    }

    private void deleteBody(ObjectMeta meta) {
        if (meta.bodyFile() != null) {
            try {
                Files.deleteIfExists(directory.orElseThrow().resolve("objects").resolve(meta.bodyFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the S3 object body " + meta.bodyFile(), e);
            }
        }
    }

    private void persist() {
        stateFile.ifPresent(file -> {
            List<BucketState> saved = new ArrayList<>();
            buckets.values().forEach(bucket -> saved.add(new BucketState(bucket.info().name(),
                    bucket.info().creationMillis(), bucket.info().region(),
                    bucket.objects().values().stream().map(StoredObject::meta).toList(), bucket.tags())));
            file.write(new State(saved));
        });
    }
}
