package dev.initbench.localcloud.server;

import dev.initbench.localcloud.checksum.ChecksumAlgorithm;
import dev.initbench.localcloud.protocol.AwsServiceException;
import dev.initbench.localcloud.protocol.AuthenticationFailure;
import dev.initbench.localcloud.protocol.AuthenticationFailure.Kind;
import dev.initbench.localcloud.server.SignatureVerifier.SignedRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body (S3 streaming uploads): {@code <hex size>[;chunk-signature=<sig>]\r\n<data>\r\n}
 * repeated, a zero-size chunk, optional trailer lines ({@code x-amz-checksum-crc32:<base64>}, then
 * {@code x-amz-trailer-signature:<sig>}), and a final empty line. With a signed payload every chunk signature and the
 * trailer signature are verified along the chain seeded by the request signature; a checksum trailer is verified
 * against the decoded bytes.
 */
final class AwsChunkedDecoder {

    static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /** The decoded payload and the trailing headers that came with it (lower-case names). */
    record Decoded(byte[] payload, Map<String, String> trailers) {
    }

    private final byte[] body;
    private final SignedRequest signed;
    private final boolean signedChunks;
    private int position;

    private AwsChunkedDecoder(byte[] body, SignedRequest signed) {
        this.body = body;
        this.signed = signed;
        this.signedChunks = signed.payloadHash().startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    }

    /** True when the request's payload is aws-chunked and must be decoded. */
    static boolean isChunked(RawRequest request, SignedRequest signed) {
        return signed.payloadHash().startsWith("STREAMING-")
                || request.header("content-encoding").map(e -> e.contains("aws-chunked")).orElse(false);
    }

    static Decoded decode(RawRequest request, SignedRequest signed) {
        if (signed.payloadHash().startsWith("STREAMING-") && !signed.payloadHash().equals(STREAMING_SIGNED)
                && !signed.payloadHash().equals(STREAMING_SIGNED_TRAILER)
                && !signed.payloadHash().equals(STREAMING_UNSIGNED_TRAILER)) {
            throw invalid("x-amz-content-sha256 '" + signed.payloadHash() + "' is not supported by the local cloud: "
                    + "use " + STREAMING_SIGNED + ", " + STREAMING_SIGNED_TRAILER + " or " + STREAMING_UNSIGNED_TRAILER
                    + " (SigV4a streaming is not emulated).");
        }
        Decoded decoded = new AwsChunkedDecoder(request.body(), signed).decode();
        request.header("x-amz-decoded-content-length").ifPresent(declared -> {
            if (!declared.trim().equals(Integer.toString(decoded.payload().length))) {
                throw new AwsServiceException("IncompleteBody", 400, "You did not provide the number of bytes "
                        + "specified by the x-amz-decoded-content-length HTTP header: it says " + declared.trim()
                        + ", the chunks carry " + decoded.payload().length + ".");
            }
        });
        decoded.trailers().forEach((name, value) -> ChecksumAlgorithm.ofValueHeader(name)
                .ifPresent(algorithm -> verifyChecksum(algorithm, value, decoded.payload())));
        return decoded;
    }

    private Decoded decode() {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(body.length);
        String previousSignature = signed.signature();
        while (true) {
            String header = readLine("chunk header");
            String[] parts = header.split(";", 2);
            int size;
            try {
                size = Integer.parseInt(parts[0].trim(), 16);
            } catch (NumberFormatException e) {
                throw invalid("aws-chunked chunk header '" + header + "' does not start with a hex chunk size.");
            }
            if (size < 0 || position + size > body.length) {
                throw invalid("aws-chunked chunk of " + size + " bytes runs past the end of the body.");
            }
            byte[] data = java.util.Arrays.copyOfRange(body, position, position + size);
            position += size;
            if (signedChunks) {
                previousSignature = verifyChunkSignature(parts, data, previousSignature);
            }
            if (size == 0) {
                break;
            }
            payload.writeBytes(data);
            expectCrLf();
        }
        Map<String, String> trailers = readTrailers(previousSignature);
        return new Decoded(payload.toByteArray(), trailers);
    }

    private String verifyChunkSignature(String[] headerParts, byte[] data, String previousSignature) {
        if (headerParts.length < 2 || !headerParts[1].startsWith("chunk-signature=")) {
            throw invalid("aws-chunked chunk header lacks ';chunk-signature=' although the payload is signed ("
                    + signed.payloadHash() + ").");
        }
        String sent = headerParts[1].substring("chunk-signature=".length()).trim();
        String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + signed.amzDate() + "\n" + signed.scope().text() + "\n"
                + previousSignature + "\n" + SigV4.EMPTY_SHA256 + "\n" + SigV4.sha256Hex(data);
        String expected = SigV4.signatureHex(signed.signingKey(), stringToSign);
        if (!SigV4.matches(expected, sent)) {
            throw new AuthenticationFailure(Kind.SIGNATURE_MISMATCH, "The chunk signature of a " + data.length
                    + "-byte aws-chunked chunk does not match the one we calculated. Check your signing key.");
        }
        return expected;
    }

    /** Trailer lines up to the empty line; the trailer signature (when signed) covers the lines before it. */
    private Map<String, String> readTrailers(String previousSignature) {
        Map<String, String> trailers = new LinkedHashMap<>();
        StringBuilder canonical = new StringBuilder();
        String trailerSignature = null;
        while (position < body.length) {
            String line = readLine("trailer");
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw invalid("aws-chunked trailer line '" + line + "' is not 'name:value'.");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if ("x-amz-trailer-signature".equals(name)) {
                trailerSignature = value;
            } else {
                trailers.put(name, value);
                canonical.append(name).append(':').append(value).append('\n');
            }
        }
        if (signedChunks && !trailers.isEmpty()) {
            if (trailerSignature == null) {
                throw invalid("aws-chunked trailer lacks x-amz-trailer-signature although the payload is signed.");
            }
            String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + signed.amzDate() + "\n" + signed.scope().text()
                    + "\n" + previousSignature + "\n" + SigV4.sha256Hex(canonical.toString());
            if (!SigV4.matches(SigV4.signatureHex(signed.signingKey(), stringToSign), trailerSignature)) {
                throw new AuthenticationFailure(Kind.SIGNATURE_MISMATCH, "The aws-chunked trailer signature does "
                        + "not match the one we calculated. Check your signing key.");
            }
        }
        return trailers;
    }

    private String readLine(String what) {
        for (int i = position; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                String line = new String(body, position, i - position, StandardCharsets.US_ASCII);
                position = i + 2;
                return line;
            }
        }
        throw invalid("aws-chunked body ends inside a " + what + " line (no CRLF after byte " + position + ").");
    }

    private void expectCrLf() {
        if (position + 1 >= body.length || body[position] != '\r' || body[position + 1] != '\n') {
            throw invalid("aws-chunked chunk data is not followed by CRLF at byte " + position + ".");
        }
        position += 2;
    }

    private static void verifyChecksum(ChecksumAlgorithm algorithm, String sentBase64, byte[] payload) {
        if (!algorithm.base64(payload).equals(sentBase64)) {
            throw new AwsServiceException("BadDigest", 400, "The " + algorithm
                    + " you specified did not match the calculated checksum.");
        }
    }

    private static AwsServiceException invalid(String message) {
        return new AwsServiceException("InvalidRequest", 400, message);
    }
}
