package dev.initbench.localcloud.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as it came off the wire, before authentication.
 *
 * @param method   HTTP method, upper case
 * @param rawPath  the path as sent, still percent-encoded
 * @param rawQuery the query string as sent (no leading {@code ?}), empty when there is none
 * @param headers  headers with lower-cased names, values in order of appearance
 * @param body     the body as sent (possibly aws-chunked)
 */
record RawRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    RawRequest withBody(byte[] newBody) {
        return new RawRequest(method, rawPath, rawQuery, headers, newBody);
    }

    Optional<String> header(String lowerCaseName) {
        List<String> values = headers.get(lowerCaseName);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
