package dev.initbench.localcloud.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the local cloud's single endpoint received it, after SigV4 verification.
 *
 * @param method       HTTP method, upper case
 * @param path         URL-decoded path, starting with {@code /}
 * @param rawPath      the path as sent (still percent-encoded)
 * @param query        decoded query parameters, in order of appearance
 * @param headers      headers with lower-cased names
 * @param body         the request body, already decoded from aws-chunked when it was sent that way
 * @param signingName  the service named in the SigV4 credential scope ({@code s3}, {@code ssm}, ...)
 * @param region       the region named in the SigV4 credential scope
 */
public record AwsRequest(String method, String path, String rawPath, Map<String, List<String>> query,
                         Map<String, List<String>> headers, byte[] body, String signingName, String region) {

    /** The first value of a header (name in any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
