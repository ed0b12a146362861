package dev.initbench.localcloud.checksum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChecksumAlgorithmTest {

    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    /** The catalogued check values of each CRC (input "123456789") and the digests' test vectors. */
    @ParameterizedTest
    @CsvSource({
            "CRC32, cbf43926",
            "CRC32C, e3069283",
            "CRC64NVME, ae8b14860a799888",
            "SHA1, f7c3bc1d808e04732adf679965ccc34ca7ae3441",
            "SHA256, 15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"})
    void computesTheCheckValue(ChecksumAlgorithm algorithm, String expectedHex) {
        assertThat(HexFormat.of().formatHex(algorithm.compute(CHECK_INPUT))).isEqualTo(expectedHex);
    }

    @Test
    void crc64NvmeOfNothingIsZeroAndBase64IsOfTheBigEndianBytes() {
        assertThat(ChecksumAlgorithm.CRC64NVME.compute(new byte[0])).containsExactly(new byte[8]);
        assertThat(ChecksumAlgorithm.CRC32.base64(CHECK_INPUT)).isEqualTo("y/Q5Jg==");
    }

    @Test
    void valueHeadersNameTheirAlgorithmAndTheOtherChecksumHeadersNone() {
        assertThat(ChecksumAlgorithm.ofValueHeader("x-amz-checksum-crc64nvme")).contains(ChecksumAlgorithm.CRC64NVME);
        assertThat(ChecksumAlgorithm.ofValueHeader("X-Amz-Checksum-SHA256")).contains(ChecksumAlgorithm.SHA256);
        for (String header : new String[] {"x-amz-checksum-algorithm", "x-amz-checksum-mode", "x-amz-checksum-type",
                "x-amz-sdk-checksum-algorithm", "content-md5"}) {
            assertThat(ChecksumAlgorithm.ofValueHeader(header)).as(header).isEqualTo(Optional.empty());
        }
        assertThatThrownBy(() -> ChecksumAlgorithm.ofValueHeader("x-amz-checksum-sha512"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("InvalidRequest"))
                .hasMessageContaining("'sha512' is not supported by the local cloud");
    }

    @Test
    void multipartChecksumTypesFollowS3() {
        assertThat(ChecksumAlgorithm.CRC64NVME.supports(ChecksumType.COMPOSITE)).isFalse();
        assertThat(ChecksumAlgorithm.SHA256.supports(ChecksumType.FULL_OBJECT)).isFalse();
        assertThat(ChecksumAlgorithm.SHA1.supports(ChecksumType.FULL_OBJECT)).isFalse();
        assertThat(ChecksumAlgorithm.CRC32.supports(ChecksumType.FULL_OBJECT)).isTrue();
        assertThat(ChecksumAlgorithm.CRC32C.supports(ChecksumType.COMPOSITE)).isTrue();
        assertThat(ChecksumAlgorithm.CRC32.defaultMultipartType()).isEqualTo(ChecksumType.COMPOSITE);
        assertThat(ChecksumAlgorithm.CRC64NVME.defaultMultipartType()).isEqualTo(ChecksumType.FULL_OBJECT);
    }
}
