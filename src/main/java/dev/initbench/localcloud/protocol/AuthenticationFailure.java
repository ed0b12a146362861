package dev.initbench.localcloud.protocol;

/**
 * A request the endpoint refuses before any service sees it. The protocol binding of the addressed service turns
 * the {@link Kind} into that service's own error code (e.g. awsJson {@code UnrecognizedClientException}, S3
 * {@code InvalidAccessKeyId}).
 */
public final class AuthenticationFailure extends RuntimeException {

    /** Why the request was refused. */
    public enum Kind {
        /** No {@code Authorization} header and no presigned query parameters. */
        MISSING,
        /** The authorization data cannot be parsed (wrong algorithm, missing part, bad date). */
        MALFORMED,
        /** The access key id is not the one the local cloud accepts. */
        UNKNOWN_ACCESS_KEY,
        /** The signature (of the request, a chunk or the trailer) does not match. */
        SIGNATURE_MISMATCH,
        /** The signing time is more than 15 minutes away from the local cloud's clock. */
        CLOCK_SKEW,
        /** A presigned URL is used after its expiry. */
        EXPIRED,
        /** {@code x-amz-content-sha256} names a hash that is not the body's. */
        CONTENT_SHA256_MISMATCH
    }

    private final Kind kind;

    public AuthenticationFailure(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
