package dev.initbench.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.LocalCloud;
import dev.initbench.localcloud.SignedHttp;
import dev.initbench.localcloud.SignedHttp.Request;
import dev.initbench.localcloud.SignedHttp.Response;
import dev.initbench.localcloud.checksum.ChecksumAlgorithm;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checksums in plain (not aws-chunked) headers, as the AWS CLI sends them over http: S3 verifies the ones that
 * cover the body, and reads {@code x-amz-checksum-algorithm} and {@code -type} as settings, not as checksums.
 */
class ChecksumHeadersTest {

    private static final byte[] BODY = MultipartUploadTest.random(4096, 5);
    private static LocalCloud cloud;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.builder().start();
        assertThat(send("PUT", "/checks", Map.of(), new byte[0]).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void createMultipartUploadWithAChecksumAlgorithmHeaderStartsTheUpload() {
        Response created = send("POST", "/checks/fn.zip?uploads", Map.of("x-amz-checksum-algorithm", "CRC32",
                "x-amz-checksum-type", "FULL_OBJECT"), new byte[0]);

        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.body()).contains("<InitiateMultipartUploadResult", "<UploadId>");
        assertThat(created.header("x-amz-checksum-algorithm")).isEqualTo("CRC32");
        assertThat(created.header("x-amz-checksum-type")).isEqualTo("FULL_OBJECT");
    }

    @Test
    void partChecksumHeadersAreVerifiedAndCompletionsObjectChecksumIsNotTakenForItsBodys() {
        String uploadId = uploadId(send("POST", "/checks/full.bin?uploads", Map.of("x-amz-checksum-algorithm",
                "CRC32", "x-amz-checksum-type", "FULL_OBJECT"), new byte[0]).body());
        String crc32 = ChecksumAlgorithm.CRC32.base64(BODY);

        Response wrong = send("PUT", "/checks/full.bin?partNumber=1&uploadId=" + uploadId,
                Map.of("x-amz-checksum-crc32", "AAAAAA=="), BODY);
        Response part = send("PUT", "/checks/full.bin?partNumber=1&uploadId=" + uploadId,
                Map.of("x-amz-checksum-crc32", crc32), BODY);
        String document = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" + part.header("etag")
                + "</ETag></Part></CompleteMultipartUpload>";
        Response completed = send("POST", "/checks/full.bin?uploadId=" + uploadId, Map.of("x-amz-checksum-crc32",
                crc32, "x-amz-checksum-type", "FULL_OBJECT"), document.getBytes(StandardCharsets.UTF_8));

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("<Code>BadDigest</Code>");
        assertThat(part.status()).as(part.body()).isEqualTo(200);
        assertThat(part.header("x-amz-checksum-crc32")).isEqualTo(crc32);
        assertThat(completed.status()).as(completed.body()).isEqualTo(200);
        assertThat(completed.body()).contains("<ChecksumCRC32>" + crc32 + "</ChecksumCRC32>",
                "<ChecksumType>FULL_OBJECT</ChecksumType>");
    }

    @Test
    void putObjectVerifiesItsChecksumHeaderAndRefusesTwoOrAnUnknownOne() {
        Response sha256 = send("PUT", "/checks/one", Map.of("x-amz-checksum-sha256",
                ChecksumAlgorithm.SHA256.base64(BODY)), BODY);
        Response mismatch = send("PUT", "/checks/two", Map.of("x-amz-checksum-crc32c", "AAAAAA=="), BODY);
        Response both = send("PUT", "/checks/three", Map.of("x-amz-checksum-crc32", ChecksumAlgorithm.CRC32
                .base64(BODY), "x-amz-checksum-sha1", ChecksumAlgorithm.SHA1.base64(BODY)), BODY);
        Response unknown = send("PUT", "/checks/four", Map.of("x-amz-checksum-sha512", "AAAA"), BODY);
        Response none = send("PUT", "/checks/five", Map.of(), BODY);

        assertThat(sha256.status()).as(sha256.body()).isEqualTo(200);
        assertThat(sha256.header("x-amz-checksum-sha256")).isEqualTo(ChecksumAlgorithm.SHA256.base64(BODY));
        assertThat(mismatch.body()).contains("<Code>BadDigest</Code>", "CRC32C");
        assertThat(both.body()).contains("<Code>InvalidRequest</Code>", "Multiple checksum Types are not allowed");
        assertThat(unknown.body()).contains("<Code>InvalidRequest</Code>", "sha512",
                "is not supported by the local cloud");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.header("x-amz-checksum-crc64nvme")).isEqualTo(ChecksumAlgorithm.CRC64NVME.base64(BODY));
        assertThat(none.header("x-amz-checksum-type")).isEqualTo("FULL_OBJECT");
    }

    private static String uploadId(String xml) {
        Matcher matcher = Pattern.compile("<UploadId>([^<]+)</UploadId>").matcher(xml);
        assertThat(matcher.find()).as(xml).isTrue();
        return matcher.group(1);
    }

    private static Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        return SignedHttp.send(cloud, "s3", new Request(method, pathAndQuery, new LinkedHashMap<>(headers), body));
    }
}
