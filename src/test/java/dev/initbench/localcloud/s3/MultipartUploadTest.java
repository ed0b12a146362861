package dev.initbench.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.LocalCloud;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** Multipart uploads through the SDK v2 S3Client, as an application drives them step by step. */
class MultipartUploadTest {

    private static final int MIB = 1024 * 1024;
    private static final String BUCKET = "multipart";
    private static final byte[] FIVE_MIB_A = random(5 * MIB, 1);
    private static final byte[] FIVE_MIB_B = random(5 * MIB, 2);
    private static final byte[] TAIL = random(1234, 3);

    private static LocalCloud cloud;
    private static S3Client s3;
    /** Sends no checksum unless the request names one: the only way to send none, or CRC64NVME without the CRT. */
    private static S3Client s3WithoutChecksums;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().start();
        s3 = client(cloud, RequestChecksumCalculation.WHEN_SUPPORTED);
        s3WithoutChecksums = client(cloud, RequestChecksumCalculation.WHEN_REQUIRED);
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        s3.close();
        s3WithoutChecksums.close();
        cloud.close();
    }

    static S3Client client(LocalCloud cloud, RequestChecksumCalculation checksums) {
        return S3Client.builder().endpointOverride(cloud.endpoint()).region(Region.of(cloud.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(checksums)
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @Test
    void compositeCrc32UploadAssemblesThePartsWithTheMultipartEtagAndAPartCountedChecksum() throws Exception {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("composite.bin")
                .contentType("application/zip").metadata(java.util.Map.of("build", "42"))
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        List<CompletedPart> parts = List.of(upload(s3, "composite.bin", uploadId, 1, FIVE_MIB_A),
                upload(s3, "composite.bin", uploadId, 2, FIVE_MIB_B), upload(s3, "composite.bin", uploadId, 3, TAIL));

        CompleteMultipartUploadResponse completed = complete(s3, "composite.bin", uploadId, parts);

        String expectedEtag = "\"" + md5OfMd5s(FIVE_MIB_A, FIVE_MIB_B, TAIL) + "-3\"";
        String expectedChecksum = Base64.getEncoder().encodeToString(
                crc32(concat(crc32(FIVE_MIB_A), crc32(FIVE_MIB_B), crc32(TAIL)))) + "-3";
        assertThat(completed.eTag()).isEqualTo(expectedEtag);
        assertThat(completed.checksumCRC32()).isEqualTo(expectedChecksum);
        assertThat(completed.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(completed.location()).isEqualTo(cloud.endpoint() + "/" + BUCKET + "/composite.bin");

        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("composite.bin")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(object.asByteArray()).isEqualTo(concat(FIVE_MIB_A, FIVE_MIB_B, TAIL));
        assertThat(object.response().eTag()).isEqualTo(expectedEtag);
        assertThat(object.response().checksumCRC32()).isEqualTo(expectedChecksum);
        assertThat(object.response().checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(object.response().contentType()).isEqualTo("application/zip");
        assertThat(object.response().metadata()).containsEntry("build", "42");
        HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("composite.bin")
                .checksumMode(ChecksumMode.ENABLED));
        assertThat(head.eTag()).isEqualTo(expectedEtag);
        assertThat(head.checksumCRC32()).isEqualTo(expectedChecksum);
        assertThat(head.contentLength()).isEqualTo(10L * MIB + TAIL.length);
        assertThat(s3.listMultipartUploads(b -> b.bucket(BUCKET).prefix("composite")).uploads()).isEmpty();
    }

    @Test
    void getObjectByPartNumberServesThatPartAndCountsTheParts() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("by-part.bin")).uploadId();
        complete(s3, "by-part.bin", uploadId, List.of(upload(s3, "by-part.bin", uploadId, 1, FIVE_MIB_A),
                upload(s3, "by-part.bin", uploadId, 2, TAIL)));

        ResponseBytes<GetObjectResponse> second = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("by-part.bin")
                .partNumber(2));
        HeadObjectResponse firstHead = s3.headObject(b -> b.bucket(BUCKET).key("by-part.bin").partNumber(1));

        assertThat(second.asByteArray()).isEqualTo(TAIL);
        assertThat(second.response().partsCount()).isEqualTo(2);
        assertThat(second.response().contentRange()).isEqualTo("bytes " + 5 * MIB + "-" + (5 * MIB + TAIL.length - 1)
                + "/" + (5 * MIB + TAIL.length));
        assertThat(firstHead.contentLength()).isEqualTo(5L * MIB);
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("by-part.bin").partNumber(3)))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPartNumber");
                    assertThat(e.statusCode()).isEqualTo(416);
                });
    }

    @Test
    void fullObjectCrc32ChecksumCoversTheWholeObjectAndIsVerifiedOnCompletion() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("full.bin")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> parts = List.of(upload(s3, "full.bin", uploadId, 1, FIVE_MIB_A),
                upload(s3, "full.bin", uploadId, 2, TAIL));
        String wholeCrc32 = Base64.getEncoder().encodeToString(crc32(concat(FIVE_MIB_A, TAIL)));

        CompleteMultipartUploadResponse completed = s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("full.bin")
                .uploadId(uploadId).checksumType(ChecksumType.FULL_OBJECT).checksumCRC32(wholeCrc32)
                .mpuObjectSize(5L * MIB + TAIL.length).multipartUpload(m -> m.parts(parts)));

        assertThat(completed.checksumCRC32()).isEqualTo(wholeCrc32);
        assertThat(completed.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(s3.headObject(b -> b.bucket(BUCKET).key("full.bin").checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32()).isEqualTo(wholeCrc32);
    }

    @Test
    void sha256IsCompositeAndAnUploadWithoutAlgorithmGetsAFullObjectCrc64Nvme() throws Exception {
        String sha = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("sha.bin")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
        CompleteMultipartUploadResponse shaDone = complete(s3, "sha.bin", sha,
                List.of(uploadTo(s3, BUCKET, "sha.bin", sha, 1, TAIL, ChecksumAlgorithm.SHA256)));
        byte[] partSha = MessageDigest.getInstance("SHA-256").digest(TAIL);
        assertThat(shaDone.checksumSHA256()).isEqualTo(Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(partSha)) + "-1");

        String plain = s3WithoutChecksums.createMultipartUpload(b -> b.bucket(BUCKET).key("plain.bin")).uploadId();
        UploadPartResponse part = s3WithoutChecksums.uploadPart(b -> b.bucket(BUCKET).key("plain.bin")
                .uploadId(plain).partNumber(1), RequestBody.fromBytes(TAIL));
        CompleteMultipartUploadResponse plainDone = s3WithoutChecksums.completeMultipartUpload(b -> b.bucket(BUCKET)
                .key("plain.bin").uploadId(plain).multipartUpload(m -> m.parts(CompletedPart.builder()
                        .partNumber(1).eTag(part.eTag()).build())));
        assertThat(plainDone.checksumCRC64NVME()).isEqualTo(
                dev.initbench.localcloud.checksum.ChecksumAlgorithm.CRC64NVME.base64(TAIL));
        assertThat(plainDone.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("plain.bin").checksumMode(ChecksumMode.ENABLED))
                .asByteArray()).isEqualTo(TAIL);
    }

    @Test
    void reuploadingAPartReplacesItAndPartsNotCompletedAreDropped() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("replaced.bin")).uploadId();
        upload(s3, "replaced.bin", uploadId, 1, FIVE_MIB_B);
        CompletedPart first = upload(s3, "replaced.bin", uploadId, 1, FIVE_MIB_A);
        upload(s3, "replaced.bin", uploadId, 2, TAIL);
        CompletedPart third = upload(s3, "replaced.bin", uploadId, 3, TAIL);

        complete(s3, "replaced.bin", uploadId, List.of(first, third));

        assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("replaced.bin")).asByteArray())
                .isEqualTo(concat(FIVE_MIB_A, TAIL));
    }

    @Test
    void listPartsPaginatesAndAbortEndsTheUpload() {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("listed.bin")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)).uploadId();
        for (int part = 1; part <= 3; part++) {
            uploadTo(s3, BUCKET, "listed.bin", uploadId, part, TAIL, ChecksumAlgorithm.CRC32_C);
        }

        ListPartsResponse page = s3.listParts(b -> b.bucket(BUCKET).key("listed.bin").uploadId(uploadId).maxParts(2));
        List<Part> all = s3.listPartsPaginator(b -> b.bucket(BUCKET).key("listed.bin").uploadId(uploadId)
                .maxParts(1)).parts().stream().toList();

        assertThat(page.isTruncated()).isTrue();
        assertThat(page.nextPartNumberMarker()).isEqualTo(2);
        assertThat(page.checksumAlgorithm()).isEqualTo(ChecksumAlgorithm.CRC32_C);
        assertThat(page.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(all).extracting(Part::partNumber).containsExactly(1, 2, 3);
        assertThat(all).allSatisfy(p -> {
            assertThat(p.size()).isEqualTo(TAIL.length);
            assertThat(p.checksumCRC32C()).isEqualTo(
                    dev.initbench.localcloud.checksum.ChecksumAlgorithm.CRC32C.base64(TAIL));
        });

        s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("listed.bin").uploadId(uploadId));

        assertThatThrownBy(() -> s3.listParts(b -> b.bucket(BUCKET).key("listed.bin").uploadId(uploadId)))
                .isInstanceOf(NoSuchUploadException.class).hasMessageContaining(uploadId);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket(BUCKET).key("listed.bin")))
                .isInstanceOf(S3Exception.class);
    }

    @Test
    void listMultipartUploadsRollsUpPrefixesAndPaginatesByMarkers() {
        s3.createBucket(b -> b.bucket("uploads-listed"));
        List<String> keys = List.of("a/1", "a/2", "b", "c", "c");
        List<String> ids = new ArrayList<>();
        for (String key : keys) {
            ids.add(s3.createMultipartUpload(b -> b.bucket("uploads-listed").key(key)).uploadId());
        }

        ListMultipartUploadsResponse top = s3.listMultipartUploads(b -> b.bucket("uploads-listed").delimiter("/"));
        List<MultipartUpload> paged = s3.listMultipartUploadsPaginator(b -> b.bucket("uploads-listed")
                .maxUploads(2)).uploads().stream().toList();

        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/");
        assertThat(top.uploads()).extracting(MultipartUpload::key).containsExactly("b", "c", "c");
        assertThat(paged).extracting(MultipartUpload::key).containsExactlyElementsOf(keys);
        assertThat(paged).extracting(MultipartUpload::uploadId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(paged.get(0).initiator().id()).isEqualTo(cloud.accountId());
    }

    /** One way a multipart upload goes wrong, and S3's answer to it. */
    record Misuse(String name, Consumer<S3Client> action, String errorCode, int status, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Misuse> misuses() {
        return Stream.of(
                new Misuse("a part below 5 MiB that is not the last", s3 -> {
                    String id = start(s3, "small.bin", null);
                    complete(s3, "small.bin", id, List.of(upload(s3, "small.bin", id, 1, TAIL),
                            upload(s3, "small.bin", id, 2, TAIL)));
                }, "EntityTooSmall", 400, "part 1 has 1234 bytes"),
                new Misuse("completing with an ETag the part does not have", s3 -> {
                    String id = start(s3, "etag.bin", null);
                    upload(s3, "etag.bin", id, 1, TAIL);
                    complete(s3, "etag.bin", id, List.of(CompletedPart.builder().partNumber(1)
                            .eTag("\"00000000000000000000000000000000\"").build()));
                }, "InvalidPart", 400, "part 1 has ETag"),
                new Misuse("completing with a part never uploaded", s3 -> {
                    String id = start(s3, "missing.bin", null);
                    CompletedPart one = upload(s3, "missing.bin", id, 1, FIVE_MIB_A);
                    complete(s3, "missing.bin", id, List.of(one, one.toBuilder().partNumber(2).build()));
                }, "InvalidPart", 400, "part 2 was not uploaded"),
                new Misuse("parts out of order", s3 -> {
                    String id = start(s3, "order.bin", null);
                    CompletedPart one = upload(s3, "order.bin", id, 1, FIVE_MIB_A);
                    CompletedPart two = upload(s3, "order.bin", id, 2, TAIL);
                    complete(s3, "order.bin", id, List.of(two, one));
                }, "InvalidPartOrder", 400, "part 1 follows part 2"),
                new Misuse("completing an upload id that does not exist", s3 ->
                        complete(s3, "nowhere.bin", "no-such-upload", List.of(CompletedPart.builder().partNumber(1)
                                .eTag("\"x\"").build())), "NoSuchUpload", 404, "no-such-upload"),
                new Misuse("uploading a part to an aborted upload", s3 -> {
                    String id = start(s3, "aborted.bin", null);
                    s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("aborted.bin").uploadId(id));
                    upload(s3, "aborted.bin", id, 1, TAIL);
                }, "NoSuchUpload", 404, "aborted"),
                new Misuse("aborting twice", s3 -> {
                    String id = start(s3, "twice.bin", null);
                    s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("twice.bin").uploadId(id));
                    s3.abortMultipartUpload(b -> b.bucket(BUCKET).key("twice.bin").uploadId(id));
                }, "NoSuchUpload", 404, "does not exist"),
                new Misuse("the upload id of another key", s3 -> {
                    String id = start(s3, "mine.bin", null);
                    s3.listParts(b -> b.bucket(BUCKET).key("theirs.bin").uploadId(id));
                }, "NoSuchUpload", 404, "theirs.bin"),
                new Misuse("part number 0", s3 -> upload(s3, "zero.bin", start(s3, "zero.bin", null), 0, TAIL),
                        "InvalidArgument", 400, "between 1 and 10000"),
                new Misuse("part number 10001", s3 -> upload(s3, "big.bin", start(s3, "big.bin", null), 10_001,
                        TAIL), "InvalidArgument", 400, "between 1 and 10000"),
                new Misuse("a part checksum of another algorithm than the upload's", s3 -> {
                    String id = start(s3, "mismatch.bin", ChecksumAlgorithm.SHA256);
                    s3.uploadPart(b -> b.bucket(BUCKET).key("mismatch.bin").uploadId(id).partNumber(1)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(TAIL));
                }, "InvalidRequest", 400, "expected checksum Type: sha256, actual checksum Type: crc32"),
                new Misuse("a part without checksum in a composite upload", s3 -> {
                    String id = start(s3, "unchecked.bin", ChecksumAlgorithm.CRC32);
                    s3WithoutChecksums.uploadPart(b -> b.bucket(BUCKET).key("unchecked.bin").uploadId(id)
                            .partNumber(1), RequestBody.fromBytes(TAIL));
                }, "InvalidRequest", 400, "expected checksum Type: crc32, actual checksum Type: null"),
                new Misuse("a composite upload completed without the part checksums", s3 -> {
                    String id = start(s3, "nochecksum.bin", ChecksumAlgorithm.CRC32);
                    CompletedPart part = upload(s3, "nochecksum.bin", id, 1, TAIL);
                    complete(s3, "nochecksum.bin", id, List.of(CompletedPart.builder().partNumber(1)
                            .eTag(part.eTag()).build()));
                }, "InvalidRequest", 400, "must include the checksum for each part. It was missing for part 1"),
                new Misuse("a part checksum that is not the part's", s3 -> {
                    String id = start(s3, "wrongsum.bin", ChecksumAlgorithm.CRC32);
                    CompletedPart part = upload(s3, "wrongsum.bin", id, 1, TAIL);
                    complete(s3, "wrongsum.bin", id, List.of(part.toBuilder().checksumCRC32("AAAAAA==").build()));
                }, "InvalidPart", 400, "is not the part's checksum"),
                new Misuse("a full-object checksum that does not match", s3 -> {
                    String id = s3.createMultipartUpload(b -> b.bucket(BUCKET).key("wrongfull.bin")
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT))
                            .uploadId();
                    CompletedPart part = upload(s3, "wrongfull.bin", id, 1, TAIL);
                    s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("wrongfull.bin").uploadId(id)
                            .checksumType(ChecksumType.FULL_OBJECT).checksumCRC32("AAAAAA==")
                            .multipartUpload(m -> m.parts(part)));
                }, "BadDigest", 400, "CRC32 you specified did not match"),
                new Misuse("an object size that is not the parts' sum", s3 -> {
                    String id = start(s3, "size.bin", null);
                    CompletedPart part = upload(s3, "size.bin", id, 1, TAIL);
                    s3.completeMultipartUpload(b -> b.bucket(BUCKET).key("size.bin").uploadId(id).mpuObjectSize(1L)
                            .multipartUpload(m -> m.parts(part)));
                }, "InvalidRequest", 400, "x-amz-mp-object-size"),
                new Misuse("CRC64NVME as a composite checksum", s3 -> s3.createMultipartUpload(b -> b.bucket(BUCKET)
                        .key("c64.bin").checksumAlgorithm(ChecksumAlgorithm.CRC64_NVME)
                        .checksumType(ChecksumType.COMPOSITE)), "InvalidRequest", 400,
                        "COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm"),
                new Misuse("SHA-256 as a full-object checksum", s3 -> s3.createMultipartUpload(b -> b.bucket(BUCKET)
                        .key("sha.bin").checksumAlgorithm(ChecksumAlgorithm.SHA256)
                        .checksumType(ChecksumType.FULL_OBJECT)), "InvalidRequest", 400,
                        "FULL_OBJECT checksum type cannot be used with the sha256 checksum algorithm"),
                new Misuse("a checksum type without an algorithm", s3 -> s3.createMultipartUpload(b -> b
                        .bucket(BUCKET).key("typeonly.bin").checksumType(ChecksumType.FULL_OBJECT)),
                        "InvalidRequest", 400, "can only be used with the x-amz-checksum-algorithm header"),
                new Misuse("an upload into a bucket that does not exist", s3 -> s3.createMultipartUpload(b -> b
                        .bucket("no-such-bucket").key("k")), "NoSuchBucket", 404, "no-such-bucket"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misuses")
    void misuseGetsS3sError(Misuse misuse) {
        assertThatThrownBy(() -> misuse.action().accept(s3))
                .isInstanceOfSatisfying(S3Exception.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo(misuse.errorCode());
                    assertThat(e.statusCode()).isEqualTo(misuse.status());
                })
                .hasMessageContaining(misuse.messagePart());
    }

    @Test
    void anUploadInProgressSurvivesARestartWithADataDirectoryAndItsPartFilesGoOnceCompleted(@TempDir Path data) {
        String uploadId;
        CompletedPart first;
        try (LocalCloud before = LocalCloud.builder().dataDirectory(data).start();
             S3Client client = client(before, RequestChecksumCalculation.WHEN_SUPPORTED)) {
            client.createBucket(b -> b.bucket("durable"));
            uploadId = client.createMultipartUpload(b -> b.bucket("durable").key("artifact.zip")
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
            first = uploadTo(client, "durable", "artifact.zip", uploadId, 1, FIVE_MIB_A);
        }
        assertThat(partFiles(data)).hasSize(1);

        try (LocalCloud after = LocalCloud.builder().dataDirectory(data).start();
             S3Client client = client(after, RequestChecksumCalculation.WHEN_SUPPORTED)) {
            assertThat(client.listMultipartUploads(b -> b.bucket("durable")).uploads())
                    .extracting(MultipartUpload::uploadId).containsExactly(uploadId);
            assertThat(client.listParts(b -> b.bucket("durable").key("artifact.zip").uploadId(uploadId)).parts())
                    .extracting(Part::partNumber, Part::eTag).containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, first.eTag()));
            CompletedPart second = uploadTo(client, "durable", "artifact.zip", uploadId, 2, TAIL);
            client.completeMultipartUpload(b -> b.bucket("durable").key("artifact.zip").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(first, second)));
        }
        assertThat(partFiles(data)).isEmpty();

        try (LocalCloud again = LocalCloud.builder().dataDirectory(data).start();
             S3Client client = client(again, RequestChecksumCalculation.WHEN_SUPPORTED)) {
            ResponseBytes<GetObjectResponse> object = client.getObjectAsBytes(b -> b.bucket("durable")
                    .key("artifact.zip").checksumMode(ChecksumMode.ENABLED));
            assertThat(object.asByteArray()).isEqualTo(concat(FIVE_MIB_A, TAIL));
            assertThat(object.response().eTag()).endsWith("-2\"");
            assertThat(object.response().checksumCRC32()).endsWith("-2");
            assertThat(client.listMultipartUploads(b -> b.bucket("durable")).uploads()).isEmpty();
        }
    }

    private static List<Path> partFiles(Path data) {
        Path parts = data.resolve("s3").resolve("parts");
        if (!Files.isDirectory(parts)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(parts)) {
            return files.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String start(S3Client s3, String key, ChecksumAlgorithm algorithm) {
        return s3.createMultipartUpload(b -> b.bucket(BUCKET).key(key).checksumAlgorithm(algorithm)).uploadId();
    }

    private static CompletedPart upload(S3Client s3, String key, String uploadId, int number, byte[] bytes) {
        return uploadTo(s3, BUCKET, key, uploadId, number, bytes, null);
    }

    private static CompletedPart uploadTo(S3Client s3, String bucket, String key, String uploadId, int number,
                                          byte[] bytes) {
        return uploadTo(s3, bucket, key, uploadId, number, bytes, null);
    }

    /**
     * Uploads a part with the SDK's checksum of {@code algorithm} (its default, CRC32, when null) and returns it as
     * CompleteMultipartUpload names it, with the checksums the upload returned.
     */
    private static CompletedPart uploadTo(S3Client s3, String bucket, String key, String uploadId, int number,
                                          byte[] bytes, ChecksumAlgorithm algorithm) {
        UploadPartResponse response = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .partNumber(number).checksumAlgorithm(algorithm), RequestBody.fromBytes(bytes));
        return CompletedPart.builder().partNumber(number).eTag(response.eTag())
                .checksumCRC32(response.checksumCRC32()).checksumCRC32C(response.checksumCRC32C())
                .checksumSHA1(response.checksumSHA1()).checksumSHA256(response.checksumSHA256()).build();
    }

    private static CompleteMultipartUploadResponse complete(S3Client s3, String key, String uploadId,
                                                            List<CompletedPart> parts) {
        return s3.completeMultipartUpload(b -> b.bucket(BUCKET).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    private static String md5OfMd5s(byte[]... parts) throws Exception {
        ByteArrayOutputStream md5s = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            md5s.writeBytes(MessageDigest.getInstance("MD5").digest(part));
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(md5s.toByteArray()));
    }

    private static byte[] crc32(byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(data);
        return java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
