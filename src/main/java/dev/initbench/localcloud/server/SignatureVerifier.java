package dev.initbench.localcloud.server;

import dev.initbench.localcloud.credentials.CredentialRegistry;
import dev.initbench.localcloud.protocol.AuthenticationFailure;
import dev.initbench.localcloud.protocol.QueryString;
import dev.initbench.localcloud.protocol.QueryString.Encoding;
import dev.initbench.localcloud.protocol.AuthenticationFailure.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Verifies AWS Signature Version 4 ({@code Authorization} header or presigned query parameters) against the keys of
 * a {@link CredentialRegistry}: the local cloud's own access key, and the session keys it issued, which must come
 * with their session token ({@code X-Amz-Security-Token}).
 */
final class SignatureVerifier {

    /** How far the signing time may be from now, as AWS allows. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final int MAX_CACHED_SIGNING_KEYS = 10_000;

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** The credential scope: {@code <access key>/<date>/<region>/<service>/aws4_request}. */
    record Scope(String accessKeyId, String date, String region, String signingName) {

        String text() {
            return date + "/" + region + "/" + signingName + "/aws4_request";
        }
    }

    /**
     * A verified request: what aws-chunked decoding needs to verify chunk signatures.
     *
     * @param scope          the credential scope
     * @param amzDate        the signing time as sent ({@code 20250310T120000Z})
     * @param signature      the request's signature (the seed of the chunk signature chain)
     * @param signingKey     the derived key
     * @param payloadHash    what the request signed as its payload ({@code x-amz-content-sha256} or the body hash)
     */
    record SignedRequest(Scope scope, String amzDate, String signature, byte[] signingKey, String payloadHash) {
    }

    /** The authorization data of a request, parsed but not verified. */
    private record Authorization(Scope scope, List<String> signedHeaders, String signature, String amzDate,
                                 boolean presigned, long expiresSeconds) {
    }

    private final CredentialRegistry credentials;
    private final Clock clock;
    /**
     * Derived keys by access key and credential scope: one per key, service, region and day, so four HMACs saved per
     * request. A revoked session key is refused before this cache is consulted.
     */
    private final Map<String, byte[]> signingKeys = new java.util.concurrent.ConcurrentHashMap<>();

    SignatureVerifier(String accessKeyId, String secretAccessKey, Clock clock) {
        this(new CredentialRegistry(accessKeyId, secretAccessKey), clock);
    }

    SignatureVerifier(CredentialRegistry credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /** The credential scope the request claims (for routing before verification); empty when it is unsigned. */
    static Optional<Scope> claimedScope(RawRequest request) {
        try {
            return Optional.of(parse(request).scope());
        } catch (AuthenticationFailure e) {
            return Optional.empty();
        }
    }

    SignedRequest verify(RawRequest request) {
        Authorization auth = parse(request);
        CredentialRegistry.Known known = credentials.find(auth.scope().accessKeyId()).orElseThrow(() ->
                new AuthenticationFailure(Kind.UNKNOWN_ACCESS_KEY, "The access key id '"
                        + auth.scope().accessKeyId() + "' is not the local cloud's (nor a live session key it issued); "
                        + "sign with the access key id it was started with (default "
                        + dev.initbench.localcloud.LocalCloud.DEFAULT_ACCESS_KEY_ID + ")."));
        if (known.session().isPresent()) {
            String token = request.header("x-amz-security-token").orElseGet(() -> presignedToken(request));
            if (!known.session().get().credentials().sessionToken().equals(token)) {
                throw new AuthenticationFailure(Kind.UNKNOWN_ACCESS_KEY, "The security token included in the request "
                        + "is invalid: session key " + auth.scope().accessKeyId() + " must be sent with its session "
                        + "token (AWS_SESSION_TOKEN).");
            }
        }
        String secretAccessKey = known.secretAccessKey();
        checkTime(auth);
        String payloadHash = request.header("x-amz-content-sha256")
                .orElse(auth.presigned() && "s3".equals(auth.scope().signingName()) ? UNSIGNED_PAYLOAD
                        : SigV4.sha256Hex(request.body()));
        String canonicalRequest = request.method() + "\n"
                + canonicalUri(request.rawPath(), auth.scope().signingName()) + "\n"
                + canonicalQuery(request.rawQuery(), auth.presigned()) + "\n"
                + canonicalHeaders(request, auth.signedHeaders()) + "\n"
                + String.join(";", auth.signedHeaders()) + "\n"
                + payloadHash;
        String stringToSign = SigV4.ALGORITHM + "\n" + auth.amzDate() + "\n" + auth.scope().text() + "\n"
                + SigV4.sha256Hex(canonicalRequest);
        if (signingKeys.size() > MAX_CACHED_SIGNING_KEYS) {
            signingKeys.clear(); // keys of revoked sessions would otherwise pile up
        }
        byte[] key = signingKeys.computeIfAbsent(auth.scope().accessKeyId() + "/" + auth.scope().text(),
                scope -> SigV4.signingKey(secretAccessKey,
                auth.scope().date(), auth.scope().region(), auth.scope().signingName()));
        String expected = SigV4.signatureHex(key, stringToSign);
        if (!SigV4.matches(expected, auth.signature())) {
            throw new AuthenticationFailure(Kind.SIGNATURE_MISMATCH, "The request signature we calculated does not "
                    + "match the signature you provided. Check your AWS Secret Access Key and signing method. "
                    + "Consult the service documentation for details. The canonical string for this request should have been '" + canonicalRequest
                    + "' and the String-to-Sign should have been '" + stringToSign + "'");
        }
        if (payloadHash.matches("[0-9a-fA-F]{64}") && !payloadHash.equalsIgnoreCase(SigV4.sha256Hex(request.body()))) {
            throw new AuthenticationFailure(Kind.CONTENT_SHA256_MISMATCH, "The provided 'x-amz-content-sha256' "
                    + "header does not match what was computed: the body's SHA-256 is "
                    + SigV4.sha256Hex(request.body()) + ".");
        }
        return new SignedRequest(auth.scope(), auth.amzDate(), auth.signature(), key, payloadHash);
    }

    private static String presignedToken(RawRequest request) {
        for (QueryString.Pair pair : QueryString.parse(request.rawQuery(), Encoding.PERCENT)) {
            if ("X-Amz-Security-Token".equals(pair.name())) {
                return pair.value();
            }
        }
        return null;
    }

    private void checkTime(Authorization auth) {
        Instant signed = LocalDateTime.parse(auth.amzDate(), AMZ_DATE).toInstant(ZoneOffset.UTC);
        Instant now = clock.instant();
        if (auth.presigned()) {
            if (now.isAfter(signed.plusSeconds(auth.expiresSeconds()))) {
                throw new AuthenticationFailure(Kind.EXPIRED, "Request has expired: the presigned URL was signed at "
                        + signed + " and expired after " + auth.expiresSeconds() + " s; presign it again.");
            }
        } else if (Duration.between(signed, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new AuthenticationFailure(Kind.CLOCK_SKEW, "Signature expired: " + auth.amzDate()
                    + " is not within 15 minutes of the local cloud's time " + AMZ_DATE.format(now.atZone(ZoneOffset.UTC))
                    + "; check the client's clock.");
        }
    }

    private static Authorization parse(RawRequest request) {
        Optional<String> header = request.header("authorization");
        if (header.isPresent()) {
            return parseHeader(header.get(), request);
        }
        Map<String, String> query = new LinkedHashMap<>();
        QueryString.parse(request.rawQuery(), Encoding.PERCENT).forEach(p -> query.putIfAbsent(p.name(), p.value()));
        if (query.containsKey("X-Amz-Credential")) {
            return parsePresigned(query);
        }
        throw new AuthenticationFailure(Kind.MISSING, "Request is missing Authentication Token: sign it with SigV4 "
                + "(any AWS SDK or the AWS CLI does) using the local cloud's access key and secret.");
    }

    private static Authorization parseHeader(String header, RawRequest request) {
        if (!header.startsWith(SigV4.ALGORITHM + " ")) {
            throw new AuthenticationFailure(Kind.MALFORMED, "Unsupported Authorization header '"
                    + header.split(" ", 2)[0] + "': only " + SigV4.ALGORITHM + " (SigV4) is supported.");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : header.substring(SigV4.ALGORITHM.length() + 1).split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2) {
                parts.put(kv[0], kv[1]);
            }
        }
        for (String required : List.of("Credential", "SignedHeaders", "Signature")) {
            if (!parts.containsKey(required)) {
                throw new AuthenticationFailure(Kind.MALFORMED, "Authorization header requires '" + required
                        + "' parameter. Authorization=" + header);
            }
        }
        String amzDate = request.header("x-amz-date").orElseThrow(() -> new AuthenticationFailure(Kind.MALFORMED,
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."));
        return new Authorization(parseScope(parts.get("Credential")),
                List.of(parts.get("SignedHeaders").toLowerCase(Locale.ROOT).split(";")), parts.get("Signature"),
                validDate(amzDate), false, 0);
    }

    private static Authorization parsePresigned(Map<String, String> query) {
        for (String required : List.of("X-Amz-Algorithm", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature",
                "X-Amz-Expires")) {
            if (!query.containsKey(required)) {
                throw new AuthenticationFailure(Kind.MALFORMED, "Query-string authentication requires the "
                        + required + " parameter.");
            }
        }
        if (!SigV4.ALGORITHM.equals(query.get("X-Amz-Algorithm"))) {
            throw new AuthenticationFailure(Kind.MALFORMED, "X-Amz-Algorithm '" + query.get("X-Amz-Algorithm")
                    + "' is not supported: only " + SigV4.ALGORITHM + ".");
        }
        long expires;
        try {
            expires = Long.parseLong(query.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            throw new AuthenticationFailure(Kind.MALFORMED, "X-Amz-Expires must be a number of seconds, got '"
                    + query.get("X-Amz-Expires") + "'.");
        }
        return new Authorization(parseScope(query.get("X-Amz-Credential")),
                List.of(query.get("X-Amz-SignedHeaders").toLowerCase(Locale.ROOT).split(";")),
                query.get("X-Amz-Signature"), validDate(query.get("X-Amz-Date")), true, expires);
    }

    private static String validDate(String amzDate) {
        try {
            LocalDateTime.parse(amzDate, AMZ_DATE);
            return amzDate;
        } catch (DateTimeParseException e) {
            throw new AuthenticationFailure(Kind.MALFORMED, "X-Amz-Date '" + amzDate
                    + "' is not in the ISO 8601 basic format yyyyMMdd'T'HHmmss'Z'.");
        }
    }

    private static Scope parseScope(String credential) {
        String[] parts = credential.split("/");
        if (parts.length != 5 || !"aws4_request".equals(parts[4])) {
            throw new AuthenticationFailure(Kind.MALFORMED, "Credential '" + credential + "' is malformed: expected "
                    + "<access key>/<yyyyMMdd>/<region>/<service>/aws4_request.");
        }
        return new Scope(parts[0], parts[1], parts[2], parts[3]);
    }

    /** S3 signs the path as sent; every other service signs it percent-encoded once more. */
    private static String canonicalUri(String rawPath, String signingName) {
        String path = rawPath.isEmpty() ? "/" : rawPath;
        return "s3".equals(signingName) ? path : SigV4.uriEncode(path, true);
    }

    private static String canonicalQuery(String rawQuery, boolean presigned) {
        List<String[]> encoded = new ArrayList<>();
        for (QueryString.Pair pair : QueryString.parse(rawQuery, Encoding.PERCENT)) {
            if (presigned && "X-Amz-Signature".equals(pair.name())) {
                continue;
            }
            encoded.add(new String[] {SigV4.uriEncode(pair.name(), false), SigV4.uriEncode(pair.value(), false)});
        }
        encoded.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder out = new StringBuilder();
        for (String[] pair : encoded) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    private static String canonicalHeaders(RawRequest request, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = request.headers().getOrDefault(name, List.of());
            List<String> trimmed = new ArrayList<>(values.size());
            for (String value : values) {
                trimmed.add(value.trim().replaceAll("\\s+", " "));
            }
            out.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return out.toString();
    }
}
