package dev.initbench.localcloud.s3;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.initbench.localcloud.checksum.ChecksumAlgorithm;
import dev.initbench.localcloud.checksum.ChecksumType;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.state.StateFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * The buckets, objects and in-progress multipart uploads of the local S3. With a data folder, an object's bytes
 * are written to {@code s3/objects/<uuid>} and an uploaded part's to {@code s3/parts/<uuid>}, forced to disk, then
 * the metadata of every bucket is rewritten to {@code s3/buckets.json}, before the request that changed them is
 * acknowledged; the store starts from those files, so an upload in progress survives a restart. Objects are held in
 * memory too; parts only on disk when there is a data folder. Thread-safe.
 */
public final class ObjectStore {

    /** The checksum S3 keeps with an object: its algorithm, how it was formed, and its base64 value. */
    public record ObjectChecksum(ChecksumAlgorithm algorithm, ChecksumType type, String value) {
    }

    /**
     * An object's metadata; {@code partSizes} lists the sizes of its parts when it was uploaded in parts (empty
     * otherwise), {@code bodyFile} names its bytes in the data folder (null in memory-only mode).
     */
    public record ObjectMeta(String key, long size, String etag, long lastModifiedMillis, String contentType,
                             Map<String, String> userMetadata, ObjectChecksum checksum, List<Long> partSizes,
                             String bodyFile) {

        public ObjectMeta {
            userMetadata = Map.copyOf(userMetadata);
            partSizes = partSizes == null ? List.of() : List.copyOf(partSizes);
        }

        /** Reads state of any version: before multipart uploads were emulated, objects had only a CRC32. */
        @JsonCreator
        static ObjectMeta restore(@JsonProperty("key") String key, @JsonProperty("size") long size,
                                  @JsonProperty("etag") String etag,
                                  @JsonProperty("lastModifiedMillis") long lastModifiedMillis,
                                  @JsonProperty("contentType") String contentType,
                                  @JsonProperty("userMetadata") Map<String, String> userMetadata,
                                  @JsonProperty("checksum") ObjectChecksum checksum,
                                  @JsonProperty("partSizes") List<Long> partSizes,
                                  @JsonProperty("bodyFile") String bodyFile,
                                  @JsonProperty("crc32") String legacyCrc32) {
            ObjectChecksum restored = checksum != null || legacyCrc32 == null ? checksum
                    : new ObjectChecksum(ChecksumAlgorithm.CRC32, ChecksumType.FULL_OBJECT, legacyCrc32);
            return new ObjectMeta(key, size, etag, lastModifiedMillis, contentType, userMetadata, restored,
                    partSizes, bodyFile);
        }
    }

    /** One uploaded part; {@code checksum} is base64 of the upload's algorithm, {@code bodyFile} as for objects. */
    public record PartMeta(int partNumber, long size, String etag, long lastModifiedMillis, String checksum,
                           String bodyFile) {
    }

    /**
     * A multipart upload in progress: what CreateMultipartUpload set, and the parts uploaded so far in part-number
     * order. {@code algorithm} and {@code checksumType} are null when the upload was created without a checksum
     * algorithm.
     */
    public record Upload(String uploadId, String key, long initiatedMillis, String contentType,
                         Map<String, String> userMetadata, ChecksumAlgorithm algorithm, ChecksumType checksumType,
                         List<PartMeta> parts) {

        public Upload {
            userMetadata = Map.copyOf(userMetadata);
            parts = List.copyOf(parts);
        }

        Upload withParts(List<PartMeta> newParts) {
            return new Upload(uploadId, key, initiatedMillis, contentType, userMetadata, algorithm, checksumType,
                    newParts);
        }
    }

    /** A bucket's persisted form; {@code tags} and {@code uploads} are absent in state written before they were. */
    public record BucketState(String name, long creationMillis, String region, List<ObjectMeta> objects,
                              Map<String, String> tags, List<Upload> uploads) {
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

    /** An upload's parts by number; a part's bytes are in memory only when there is no data folder. */
    private record UploadInProgress(Upload info, TreeMap<Integer, StoredPart> parts) {

        Upload snapshot() {
            return info.withParts(parts.values().stream().map(StoredPart::meta).toList());
        }
    }

    private record StoredPart(PartMeta meta, byte[] bodyInMemory) {
    }

    private record Bucket(BucketInfo info, TreeMap<String, StoredObject> objects, Map<String, String> tags,
                          Map<String, UploadInProgress> uploads) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

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
                    new TreeMap<>(), new TreeMap<>(saved.tags() == null ? Map.of() : saved.tags()), new TreeMap<>());
            for (ObjectMeta meta : saved.objects()) {
                Path file = bodyPath("objects", meta.bodyFile());
                try {
                    bucket.objects().put(meta.key(), new StoredObject(meta, Files.readAllBytes(file)));
                } catch (IOException e) {
                    throw damaged("object s3://" + saved.name() + "/" + meta.key(), file, e);
                }
            }
            for (Upload upload : saved.uploads() == null ? List.<Upload>of() : saved.uploads()) {
                TreeMap<Integer, StoredPart> parts = new TreeMap<>();
                for (PartMeta part : upload.parts()) {
                    Path file = bodyPath("parts", part.bodyFile());
                    if (!Files.isRegularFile(file)) {
                        throw damaged("part " + part.partNumber() + " of upload " + upload.uploadId() + " to s3://"
                                + saved.name() + "/" + upload.key(), file, null);
                    }
                    parts.put(part.partNumber(), new StoredPart(part, null));
                }
                bucket.uploads().put(upload.uploadId(), new UploadInProgress(upload.withParts(List.of()), parts));
            }
            buckets.put(saved.name(), bucket);
        }
    }

    private static UncheckedIOException damaged(String what, Path file, IOException cause) {
        return new UncheckedIOException("cannot restore S3 " + what + " from " + file + ": the data folder is "
                + "damaged; move it away to start empty", cause == null ? new IOException(file + " is missing")
                : cause);
    }

    /** Creates the bucket; false when it exists already. */
    public synchronized boolean createBucket(String name, String region) {
        if (buckets.containsKey(name)) {
            return false;
        }
        buckets.put(name, new Bucket(new BucketInfo(name, System.currentTimeMillis(), region), new TreeMap<>(),
                new TreeMap<>(), new TreeMap<>()));
        persist();
        return true;
    }

    public synchronized Optional<BucketInfo> bucket(String name) {
        return Optional.ofNullable(buckets.get(name)).map(Bucket::info);
    }

    public synchronized List<BucketInfo> buckets() {
        return buckets.values().stream().map(Bucket::info).toList();
    }

    /**
     * Deletes a bucket that holds no object, with any multipart uploads still in progress in it;
     * {@code NoSuchBucket} or {@code BucketNotEmpty} otherwise.
     */
    public synchronized void deleteBucket(String name) {
        Bucket bucket = existing(name);
        if (!bucket.objects().isEmpty()) {
            throw new AwsServiceException("BucketNotEmpty", 409, "The bucket you tried to delete is not empty: "
                    + name + " still holds " + bucket.objects().size() + " object(s); delete them first.");
        }
        buckets.remove(name);
        persist();
        bucket.uploads().values().forEach(this::deletePartBodies);
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

    /** Stores an object uploaded in one request, replacing any with the same key. */
    public ObjectMeta put(String bucketName, String key, byte[] body, String etag, String contentType,
                          Map<String, String> userMetadata, ObjectChecksum checksum) {
        synchronized (this) {
            existing(bucketName);
        }
        String bodyFile = directory.map(dir -> writeBody(dir.resolve("objects"), body)).orElse(null);
        ObjectMeta meta = new ObjectMeta(key, body.length, etag, System.currentTimeMillis(), contentType,
                userMetadata, checksum, List.of(), bodyFile);
        synchronized (this) {
            Bucket bucket = existingOrDiscard(bucketName, "objects", bodyFile);
            replaceObject(bucket, new StoredObject(meta, body));
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
            deleteBody("objects", removed.meta().bodyFile());
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

    /** Starts a multipart upload; {@code algorithm} and {@code checksumType} null for an upload without one. */
    public synchronized Upload createUpload(String bucketName, String key, String contentType,
                                            Map<String, String> userMetadata, ChecksumAlgorithm algorithm,
                                            ChecksumType checksumType) {
        Bucket bucket = existing(bucketName);
        byte[] id = new byte[48];
        RANDOM.nextBytes(id);
        Upload upload = new Upload(Base64.getUrlEncoder().withoutPadding().encodeToString(id), key,
                System.currentTimeMillis(), contentType, userMetadata, algorithm, checksumType, List.of());
        bucket.uploads().put(upload.uploadId(), new UploadInProgress(upload, new TreeMap<>()));
        persist();
        return upload;
    }

    /** The upload with its parts so far; {@code NoSuchUpload} unless it is in progress for this key. */
    public synchronized Upload upload(String bucketName, String key, String uploadId) {
        return inProgress(bucketName, key, uploadId).snapshot();
    }

    /** The bucket's uploads in progress, by key and then by initiation time. */
    public synchronized List<Upload> uploads(String bucketName) {
        return existing(bucketName).uploads().values().stream().map(UploadInProgress::info)
                .sorted(Comparator.comparing(Upload::key).thenComparingLong(Upload::initiatedMillis)
                        .thenComparing(Upload::uploadId))
                .toList();
    }

    /** Stores a part, replacing any earlier part with the same number. */
    public PartMeta putPart(String bucketName, String key, String uploadId, int partNumber, byte[] body, String etag,
                            String checksum) {
        upload(bucketName, key, uploadId);
        String bodyFile = directory.map(dir -> writeBody(dir.resolve("parts"), body)).orElse(null);
        PartMeta part = new PartMeta(partNumber, body.length, etag, System.currentTimeMillis(), checksum, bodyFile);
        synchronized (this) {
            UploadInProgress upload;
            try {
                upload = inProgress(bucketName, key, uploadId);
            } catch (AwsServiceException e) {
                deleteBody("parts", bodyFile);
                throw e;
            }
            StoredPart previous = upload.parts().put(partNumber, new StoredPart(part, bodyFile == null ? body : null));
            persist();
            if (previous != null) {
                deleteBody("parts", previous.meta().bodyFile());
            }
        }
        return part;
    }

    /** Ends an upload in progress and discards its parts. */
    public synchronized void abortUpload(String bucketName, String key, String uploadId) {
        UploadInProgress upload = inProgress(bucketName, key, uploadId);
        existing(bucketName).uploads().remove(uploadId);
        persist();
        deletePartBodies(upload);
    }

    /**
     * Turns an upload into the object made of {@code chosen} parts, in that order, replacing any object with the
     * key; parts not chosen are discarded. {@code checksumOf} gets the assembled bytes and may refuse them by
     * throwing, which leaves the upload as it was. {@code InvalidPart} when a part was replaced since it was chosen.
     */
    public synchronized ObjectMeta completeUpload(String bucketName, String key, String uploadId,
                                                  List<PartMeta> chosen, String etag,
                                                  Function<byte[], ObjectChecksum> checksumOf) {
        Bucket bucket = existing(bucketName);
        UploadInProgress upload = inProgress(bucketName, key, uploadId);
        ByteArrayOutputStream assembled = new ByteArrayOutputStream();
        for (PartMeta part : chosen) {
            StoredPart stored = upload.parts().get(part.partNumber());
            if (stored == null || !stored.meta().equals(part)) {
                throw new AwsServiceException("InvalidPart", 400, "One or more of the specified parts could not be "
                        + "found: part " + part.partNumber() + " was replaced while the upload was being completed.");
            }
            assembled.writeBytes(partBody(stored));
        }
        byte[] body = assembled.toByteArray();
        ObjectChecksum checksum = checksumOf.apply(body);
        String bodyFile = directory.map(dir -> writeBody(dir.resolve("objects"), body)).orElse(null);
        ObjectMeta meta = new ObjectMeta(key, body.length, etag, System.currentTimeMillis(),
                upload.info().contentType(), upload.info().userMetadata(), checksum,
                chosen.stream().map(PartMeta::size).toList(), bodyFile);
        bucket.uploads().remove(uploadId);
        replaceObject(bucket, new StoredObject(meta, body));
        deletePartBodies(upload);
        return meta;
    }

    private byte[] partBody(StoredPart part) {
        if (part.bodyInMemory() != null) {
            return part.bodyInMemory();
        }
        Path file = bodyPath("parts", part.meta().bodyFile());
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read S3 part " + part.meta().partNumber() + " from " + file, e);
        }
    }

    private UploadInProgress inProgress(String bucketName, String key, String uploadId) {
        UploadInProgress upload = existing(bucketName).uploads().get(uploadId);
        if (upload == null || !upload.info().key().equals(key)) {
            throw new AwsServiceException("NoSuchUpload", 404, "The specified upload does not exist. The upload ID "
                    + "may be invalid, or the upload may have been aborted or completed: upload " + uploadId
                    + " of s3://" + bucketName + "/" + key + ".");
        }
        return upload;
    }

    private void replaceObject(Bucket bucket, StoredObject object) {
        StoredObject previous = bucket.objects().put(object.meta().key(), object);
        persist();
        if (previous != null) {
            deleteBody("objects", previous.meta().bodyFile());
        }
    }

    private Bucket existing(String name) {
        Bucket bucket = buckets.get(name);
        if (bucket == null) {
            throw new AwsServiceException("NoSuchBucket", 404, "The specified bucket does not exist: " + name);
        }
        return bucket;
    }

    /** The bucket; when it was deleted meanwhile, the body just written for it is removed again. */
    private Bucket existingOrDiscard(String name, String folder, String bodyFile) {
        try {
            return existing(name);
        } catch (AwsServiceException e) {
            deleteBody(folder, bodyFile);
            throw e;
        }
    }

    private Path bodyPath(String folder, String bodyFile) {
        return directory.orElseThrow().resolve(folder).resolve(bodyFile);
    }

    private static String writeBody(Path folder, byte[] body) {
        String name = UUID.randomUUID().toString();
        try {
            Files.createDirectories(folder);
            try (FileChannel channel = FileChannel.open(folder.resolve(name), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(body);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
                directory.force(true);
            } catch (IOException e) {
                // Some file systems cannot sync a directory; the file's own data is on disk already.
            }
            return name;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an S3 body to " + folder, e);
        }
    }

    private void deletePartBodies(UploadInProgress upload) {
        upload.parts().values().forEach(part -> deleteBody("parts", part.meta().bodyFile()));
    }

    private void deleteBody(String folder, String bodyFile) {
        if (bodyFile != null) {
            try {
                Files.deleteIfExists(bodyPath(folder, bodyFile));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the S3 body " + folder + "/" + bodyFile, e);
            }
        }
    }

    private void persist() {
        stateFile.ifPresent(file -> {
            List<BucketState> saved = new ArrayList<>();
            buckets.values().forEach(bucket -> saved.add(new BucketState(bucket.info().name(),
                    bucket.info().creationMillis(), bucket.info().region(),
                    bucket.objects().values().stream().map(StoredObject::meta).toList(), bucket.tags(),
                    bucket.uploads().values().stream().map(UploadInProgress::snapshot).toList())));
            file.write(new State(saved));
        });
    }
}
