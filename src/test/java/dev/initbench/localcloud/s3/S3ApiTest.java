package dev.initbench.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.LocalCloudExtension;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** S3 through the real SDK v2 S3Client (sync, URL-connection, plain http: uploads are aws-chunked). */
class S3ApiTest {

    private static final List<String> payloadModes = new CopyOnWriteArrayList<>();
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();
    private static S3Client s3;

    @BeforeAll
    static void start() {
        s3 = CLOUD.client(cloud -> S3Client.builder().endpointOverride(cloud.endpoint())
                .region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)).addExecutionInterceptor(
                        new ExecutionInterceptor() {
                            @Override
                            public void beforeTransmission(Context.BeforeTransmission context,
                                                           ExecutionAttributes attributes) {
                                context.httpRequest().firstMatchingHeader("x-amz-content-sha256")
                                        .ifPresent(payloadModes::add);
                            }
                        }))
                .build());
    }

    @Test
    void bucketExistsWaiterSucceedsOnceTheBucketIsCreated() {
        s3.createBucket(b -> b.bucket("waited"));

        assertThat(s3.waiter().waitUntilBucketExists(b -> b.bucket("waited")).matched().response()).isPresent();
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("waited");
    }

    @Test
    void putUploadsAwsChunkedWithCrc32TrailerAndGetReturnsTheSameBytesWithAValidChecksum() throws Exception {
        s3.createBucket(b -> b.bucket("roundtrip"));
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        payloadModes.clear();

        String etag = s3.putObject(b -> b.bucket("roundtrip").key("dir/artifact.zip").contentType("application/zip")
                .metadata(Map.of("purpose", "test")), RequestBody.fromBytes(content)).eTag();

        assertThat(payloadModes).containsExactly("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER");
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        assertThat(etag).isEqualTo("\"" + md5 + "\"");
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket("roundtrip")
                .key("dir/artifact.zip").checksumMode(ChecksumMode.ENABLED));
        assertThat(object.asByteArray()).isEqualTo(content);
        assertThat(object.response().checksumCRC32()).isNotBlank();
        assertThat(object.response().contentType()).isEqualTo("application/zip");
        assertThat(object.response().metadata()).containsEntry("purpose", "test");
        HeadObjectResponse head = s3.headObject(b -> b.bucket("roundtrip").key("dir/artifact.zip"));
        assertThat(head.contentLength()).isEqualTo(content.length);
        assertThat(head.eTag()).isEqualTo(etag);
    }

    @Test
    void emptyObjectRoundTrips() {
        s3.createBucket(b -> b.bucket("empty"));
        s3.putObject(b -> b.bucket("empty").key("nothing"), RequestBody.empty());

        assertThat(s3.getObjectAsBytes(b -> b.bucket("empty").key("nothing")).asByteArray()).isEmpty();
    }

    @Test
    void listObjectsV2PaginatesAndRollsUpCommonPrefixes() {
        s3.createBucket(b -> b.bucket("listing"));
        for (String key : List.of("a.txt", "b.txt", "logs/1", "logs/2", "z/deep/key", "c.txt")) {
            s3.putObject(b -> b.bucket("listing").key(key), RequestBody.fromString(key));
        }

        List<String> all = s3.listObjectsV2Paginator(b -> b.bucket("listing").maxKeys(2)).contents().stream()
                .map(S3Object::key).toList();
        ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("listing").delimiter("/"));
        List<String> underLogs = s3.listObjectsV2(b -> b.bucket("listing").prefix("logs/")).contents().stream()
                .map(S3Object::key).toList();

        assertThat(all).containsExactly("a.txt", "b.txt", "c.txt", "logs/1", "logs/2", "z/deep/key");
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("a.txt", "b.txt", "c.txt");
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("logs/", "z/");
        assertThat(top.keyCount()).isEqualTo(5);
        assertThat(underLogs).containsExactly("logs/1", "logs/2");
    }

    @Test
    void delimiterListingPaginatesOverCommonPrefixes() {
        s3.createBucket(b -> b.bucket("prefixes"));
        for (String key : List.of("a/1", "a/2", "b/1", "c", "d/1")) {
            s3.putObject(b -> b.bucket("prefixes").key(key), RequestBody.fromString(key));
        }

        List<ListObjectsV2Response> pages = s3.listObjectsV2Paginator(b -> b.bucket("prefixes").delimiter("/")
                .maxKeys(1)).stream().toList();

        assertThat(pages.stream().flatMap(p -> p.commonPrefixes().stream()).map(CommonPrefix::prefix))
                .containsExactly("a/", "b/", "d/");
        assertThat(pages.stream().flatMap(p -> p.contents().stream()).map(S3Object::key)).containsExactly("c");
    }

    @Test
    void deleteBucketWithObjectsIsBucketNotEmptyAndSucceedsOnceEmptied() {
        s3.createBucket(b -> b.bucket("full"));
        s3.putObject(b -> b.bucket("full").key("k"), RequestBody.fromString("v"));

        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("full")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
                    assertThat(e.statusCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("full");
                });
        s3.deleteObject(b -> b.bucket("full").key("k"));
        s3.deleteObject(b -> b.bucket("full").key("k"));
        s3.deleteBucket(b -> b.bucket("full"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("full"))).isInstanceOf(NoSuchBucketException.class);
    }

    @Test
    void bucketTagsRoundTripAndAnUntaggedBucketIsNoSuchTagSet() {
        s3.createBucket(b -> b.bucket("tagged"));
        assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket("tagged")))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchTagSet");
                    assertThat(e.statusCode()).isEqualTo(404);
                });

        s3.putBucketTagging(b -> b.bucket("tagged").tagging(t -> t.tagSet(
                Tag.builder().key("initbench:project").value("a & <b>").build(),
                Tag.builder().key("run").value("7").build())));

        assertThat(s3.getBucketTagging(b -> b.bucket("tagged")).tagSet())
                .extracting(Tag::key, Tag::value)
                .containsExactlyInAnyOrder(tuple("initbench:project", "a & <b>"), tuple("run", "7"));
        s3.deleteBucketTagging(b -> b.bucket("tagged"));
        assertThatThrownBy(() -> s3.getBucketTagging(b -> b.bucket("tagged"))).isInstanceOf(S3Exception.class);
        s3.deleteBucket(b -> b.bucket("tagged"));
    }

    @Test
    void missingKeysAndBucketsAreNoSuchKeyAndNoSuchBucket() {
        s3.createBucket(b -> b.bucket("sparse"));

        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("sparse").key("missing.txt")))
                .isInstanceOf(NoSuchKeyException.class).hasMessageContaining("missing.txt");
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("sparse").key("missing.txt")))
                .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("no-such-bucket")))
                .isInstanceOf(NoSuchBucketException.class).hasMessageContaining("no-such-bucket");
    }

    @Test
    void rangeRequestReturnsTheSlice() {
        s3.createBucket(b -> b.bucket("ranges"));
        s3.putObject(b -> b.bucket("ranges").key("k"), RequestBody.fromString("0123456789"));

        ResponseBytes<GetObjectResponse> slice = s3.getObjectAsBytes(b -> b.bucket("ranges").key("k")
                .range("bytes=2-4"));

        assertThat(slice.asUtf8String()).isEqualTo("234");
        assertThat(slice.response().contentRange()).isEqualTo("bytes 2-4/10");
    }

    @Test
    void presignedGetUrlServesTheObjectWithoutAnAuthorizationHeader() throws Exception {
        s3.createBucket(b -> b.bucket("presigned"));
        s3.putObject(b -> b.bucket("presigned").key("file.txt"), RequestBody.fromString("shared"));
        URL url;
        LocalCloud cloud = CLOUD.cloud();
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(cloud.endpoint())
                .region(Region.of(cloud.region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey()))).build()) {
            url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("presigned").key("file.txt"))).url();
        }

        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        try (InputStream in = connection.getInputStream()) {
            assertThat(connection.getResponseCode()).isEqualTo(200);
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("shared");
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void keysWithSpacesPlusSignsAndNonAsciiCharactersRoundTripAndList() {
        s3.createBucket(b -> b.bucket("odd-keys"));
        String key = "dir/a b+c ü=%.txt";
        s3.putObject(b -> b.bucket("odd-keys").key(key), RequestBody.fromString("odd"));

        assertThat(s3.getObjectAsBytes(b -> b.bucket("odd-keys").key(key)).asUtf8String()).isEqualTo("odd");
        assertThat(s3.listObjectsV2(b -> b.bucket("odd-keys")).contents()).extracting(S3Object::key)
                .containsExactly(key);
        assertThat(s3.listObjectsV2(b -> b.bucket("odd-keys").prefix("dir/a b+")).contents()).hasSize(1);
    }
}
