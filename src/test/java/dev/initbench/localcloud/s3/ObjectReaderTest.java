package dev.initbench.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.protocol.AwsServiceException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ObjectReader contract the Lambda service reads function code through. */
class ObjectReaderTest {

    private final ObjectStore store = new ObjectStore(Optional.empty());
    private final ObjectReader reader = new S3Service(new CloudContext(URI.create("http://127.0.0.1:1"),
            "us-east-1", "000000000000", "AKID", "secret"), store);

    @Test
    void readsTheStoredBytes() {
        store.createBucket("artifacts", "us-east-1");
        store.put("artifacts", "code.zip", "zip".getBytes(StandardCharsets.UTF_8), "etag", "application/zip",
                Map.of(), null);

        assertThat(reader.getObject("artifacts", "code.zip")).asString(StandardCharsets.UTF_8).isEqualTo("zip");
    }

    @Test
    void missingBucketOrKeyIsNoSuchBucketOrNoSuchKeyNamingIt() {
        store.createBucket("artifacts", "us-east-1");

        assertThatThrownBy(() -> reader.getObject("nowhere", "code.zip"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("NoSuchBucket"))
                .hasMessageContaining("nowhere");
        assertThatThrownBy(() -> reader.getObject("artifacts", "missing.zip"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("NoSuchKey"))
                .hasMessageContaining("s3://artifacts/missing.zip");
    }
}
