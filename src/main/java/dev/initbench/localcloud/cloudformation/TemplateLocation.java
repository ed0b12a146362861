package dev.initbench.localcloud.cloudformation;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bucket and key a {@code TemplateURL} names. Accepted: path-style URLs on the local endpoint
 * ({@code http://127.0.0.1:4566/bucket/key}), virtual-host URLs on it ({@code http://bucket.localhost:4566/key}),
 * and AWS's S3 URL forms ({@code https://bucket.s3.amazonaws.com/key},
 * {@code https://bucket.s3.eu-west-1.amazonaws.com/key},
 * {@code https://s3.eu-west-1.amazonaws.com/bucket/key}); all are read from the local S3.
 */
record TemplateLocation(String bucket, String key) {

    private static final Pattern AWS_S3_HOST =
            Pattern.compile("^(?:(.+)\\.)?s3(?:[.-](?:dualstack\\.)?[a-z0-9-]+)?\\.amazonaws\\.com(?:\\.cn)?$");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    static TemplateLocation parse(String templateUrl, URI localEndpoint) {
        URI uri;
        try {
            uri = new URI(templateUrl);
        } catch (URISyntaxException e) {
            throw unsupported(templateUrl);
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String localHost = localEndpoint.getHost() == null ? "" : localEndpoint.getHost().toLowerCase(Locale.ROOT);
        Matcher aws = AWS_S3_HOST.matcher(host);
        String virtualHostBucket;
        if (aws.matches()) {
            virtualHostBucket = aws.group(1);
        } else if (LOOPBACK_HOSTS.contains(host) || host.equals(localHost)) {
            virtualHostBucket = null;
        } else if (host.endsWith(".localhost")) {
            virtualHostBucket = host.substring(0, host.length() - ".localhost".length());
        } else if (!localHost.isEmpty() && host.endsWith("." + localHost)) {
            virtualHostBucket = host.substring(0, host.length() - localHost.length() - 1);
        } else {
            throw unsupported(templateUrl);
        }
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (virtualHostBucket != null) {
            return of(virtualHostBucket, rest, templateUrl);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw unsupported(templateUrl);
        }
        return of(decode(rest.substring(0, slash)), rest.substring(slash + 1), templateUrl);
    }

    private static TemplateLocation of(String bucket, String rawKey, String templateUrl) {
        String key = decode(rawKey);
        if (bucket.isEmpty() || key.isEmpty()) {
            throw unsupported(templateUrl);
        }
        return new TemplateLocation(bucket, key);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static AwsServiceException unsupported(String templateUrl) {
        return new AwsServiceException("ValidationError", 400, "TemplateURL must be a supported URL: '" + templateUrl
                + "' is not an S3 object URL (use http://<local endpoint>/<bucket>/<key> or "
                + "https://<bucket>.s3.amazonaws.com/<key>)");
    }
}
