package dev.initbench.localcloud.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.initbench.localcloud.checksum.ChecksumAlgorithm;
import dev.initbench.localcloud.protocol.AuthenticationFailure;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.server.SignatureVerifier.Scope;
import dev.initbench.localcloud.server.SignatureVerifier.SignedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Framing and verification failures of aws-chunked bodies. (That the SDK's real uploads decode is proven by the
 * S3 API tests; these build bodies by hand to break them on purpose.)
 */
class AwsChunkedDecoderTest {

    private static final Scope SCOPE = new Scope("AKID", "20250310", "us-east-1", "s3");
    private static final String DATE = "20250310T120000Z";
    private static final byte[] KEY = SigV4.signingKey("secret", "20250310", "us-east-1", "s3");
    private static final String SEED = "a".repeat(64);

    private static String chunkSignature(String previous, byte[] data) {
        return SigV4.signatureHex(KEY, "AWS4-HMAC-SHA256-PAYLOAD\n" + DATE + "\n" + SCOPE.text() + "\n" + previous
                + "\n" + SigV4.EMPTY_SHA256 + "\n" + SigV4.sha256Hex(data));
    }

    private static String crc32(byte[] data) {
        return ChecksumAlgorithm.CRC32.base64(data);
    }

    /** A signed aws-chunked body of the given chunks with a signed CRC32 trailer. */
    private static byte[] signedBody(byte[]... chunks) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        String previous = SEED;
        for (byte[] chunk : chunks) {
            previous = chunkSignature(previous, chunk);
            body.writeBytes((Integer.toHexString(chunk.length) + ";chunk-signature=" + previous + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(chunk);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            all.writeBytes(chunk);
        }
        previous = chunkSignature(previous, new byte[0]);
        body.writeBytes(("0;chunk-signature=" + previous + "\r\n").getBytes(StandardCharsets.US_ASCII));
        String trailer = "x-amz-checksum-crc32:" + crc32(all.toByteArray());
        String trailerSignature = SigV4.signatureHex(KEY, "AWS4-HMAC-SHA256-TRAILER\n" + DATE + "\n" + SCOPE.text()
                + "\n" + previous + "\n" + SigV4.sha256Hex(trailer + "\n"));
        body.writeBytes((trailer + "\r\nx-amz-trailer-signature:" + trailerSignature + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static AwsChunkedDecoder.Decoded decode(byte[] body, String payloadHash, String decodedLength) {
        RawRequest request = new RawRequest("PUT", "/b/k", "", Map.of("content-encoding", List.of("aws-chunked"),
                "x-amz-decoded-content-length", List.of(decodedLength)), body);
        return AwsChunkedDecoder.decode(request, new SignedRequest(SCOPE, DATE, SEED, KEY, payloadHash));
    }

    @Test
    void signedChunksWithTrailerDecodeToThePayload() {
        byte[] body = signedBody("hello ".getBytes(StandardCharsets.UTF_8), "world".getBytes(StandardCharsets.UTF_8));

        AwsChunkedDecoder.Decoded decoded = decode(body, AwsChunkedDecoder.STREAMING_SIGNED_TRAILER, "11");

        assertThat(new String(decoded.payload(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(decoded.trailers()).containsOnlyKeys("x-amz-checksum-crc32");
    }

    @Test
    void alteredChunkDataFailsItsSignature() {
        byte[] body = signedBody("hello".getBytes(StandardCharsets.UTF_8));
        int dataStart = new String(body, StandardCharsets.US_ASCII).indexOf("\r\n") + 2;
        body[dataStart] = 'j';

        assertThatThrownBy(() -> decode(body, AwsChunkedDecoder.STREAMING_SIGNED_TRAILER, "5"))
                .isInstanceOfSatisfying(AuthenticationFailure.class,
                        e -> assertThat(e.kind()).isEqualTo(AuthenticationFailure.Kind.SIGNATURE_MISMATCH))
                .hasMessageContaining("chunk signature");
    }

    @Test
    void unsignedTrailerWithAWrongChecksumIsBadDigest() {
        byte[] body = ("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:" + crc32("other".getBytes(StandardCharsets.UTF_8))
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> decode(body, AwsChunkedDecoder.STREAMING_UNSIGNED_TRAILER, "5"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("BadDigest"))
                .hasMessageContaining("CRC32");
    }

    @Test
    void decodedLengthThatDisagreesWithTheChunksIsIncompleteBody() {
        byte[] body = ("5\r\nhello\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> decode(body, AwsChunkedDecoder.STREAMING_UNSIGNED_TRAILER, "6"))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo("IncompleteBody"))
                .hasMessageContaining("says 6").hasMessageContaining("carry 5");
    }

    @Test
    void truncatedOrMalformedFramingNamesTheProblem() {
        assertThatThrownBy(() -> decode("5\r\nhel".getBytes(StandardCharsets.US_ASCII),
                AwsChunkedDecoder.STREAMING_UNSIGNED_TRAILER, "5"))
                .isInstanceOf(AwsServiceException.class).hasMessageContaining("runs past the end");
        assertThatThrownBy(() -> decode("zz\r\n".getBytes(StandardCharsets.US_ASCII),
                AwsChunkedDecoder.STREAMING_UNSIGNED_TRAILER, "0"))
                .isInstanceOf(AwsServiceException.class).hasMessageContaining("hex chunk size");
        assertThatThrownBy(() -> decode("5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                AwsChunkedDecoder.STREAMING_SIGNED, "5"))
                .isInstanceOf(AwsServiceException.class).hasMessageContaining("chunk-signature");
    }
}
