package dev.initbench.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.checksum.ChecksumAlgorithm;
import dev.initbench.localcloud.checksum.ChecksumType;
import dev.initbench.localcloud.s3.ObjectStore.ObjectChecksum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's data folder: state of earlier versions, and part files that go with their upload. */
class ObjectStoreTest {

    @Test
    void stateWrittenBeforeMultipartUploadsRestoresItsCrc32AsAFullObjectChecksum(@TempDir Path data)
            throws Exception {
        Path s3 = Files.createDirectories(data.resolve("s3/objects"));
        Files.writeString(s3.resolve("body-1"), "zip");
        Files.writeString(data.resolve("s3/buckets.json"), """
                {"buckets":[{"name":"artifacts","creationMillis":1,"region":"us-east-1","objects":[
                  {"key":"code.zip","size":3,"etag":"e","lastModifiedMillis":2,"contentType":"application/zip",
                   "userMetadata":{},"crc32":"AAAAAA==","bodyFile":"body-1"}],"tags":{}}]}
                """);

        ObjectStore store = new ObjectStore(Optional.of(data));

        ObjectStore.StoredObject object = store.get("artifacts", "code.zip");
        assertThat(object.body()).asString(StandardCharsets.UTF_8).isEqualTo("zip");
        assertThat(object.meta().checksum()).isEqualTo(new ObjectChecksum(ChecksumAlgorithm.CRC32,
                ChecksumType.FULL_OBJECT, "AAAAAA=="));
        assertThat(object.meta().partSizes()).isEmpty();
        assertThat(store.uploads("artifacts")).isEmpty();
    }

    @Test
    void abortingOrDeletingTheBucketRemovesTheUploadsPartFiles(@TempDir Path data) throws Exception {
        ObjectStore store = new ObjectStore(Optional.of(data));
        store.createBucket("b", "us-east-1");
        String aborted = store.createUpload("b", "k", "binary/octet-stream", Map.of(), null, null).uploadId();
        String kept = store.createUpload("b", "k", "binary/octet-stream", Map.of(), ChecksumAlgorithm.CRC32,
                ChecksumType.COMPOSITE).uploadId();
        store.putPart("b", "k", aborted, 1, new byte[] {1}, "e1", "c1");
        store.putPart("b", "k", kept, 1, new byte[] {2}, "e2", "c2");
        store.putPart("b", "k", kept, 1, new byte[] {3}, "e3", "c3");
        assertThat(partFiles(data)).hasSize(2);

        store.abortUpload("b", "k", aborted);
        assertThat(partFiles(data)).hasSize(1);
        assertThat(new ObjectStore(Optional.of(data)).upload("b", "k", kept).parts())
                .extracting(ObjectStore.PartMeta::etag).containsExactly("e3");

        store.deleteBucket("b");
        assertThat(partFiles(data)).isEmpty();
        assertThat(new ObjectStore(Optional.of(data)).buckets()).isEmpty();
    }

    private static List<Path> partFiles(Path data) throws Exception {
        try (Stream<Path> files = Files.list(data.resolve("s3/parts"))) {
            return files.toList();
        }
    }
}
