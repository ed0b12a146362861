package dev.initbench.localcloud.protocol;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP response the local cloud sends back. Header names are as they should appear on the wire.
 * The server adds {@code x-amzn-RequestId} (and S3's {@code x-amz-request-id}) itself.
 */
public record AwsResponse(int status, Map<String, String> headers, byte[] body) {

    public AwsResponse {
        headers = new LinkedHashMap<>(headers);
        body = body == null ? new byte[0] : body;
    }

    public static AwsResponse of(int status, String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return new AwsResponse(status, headers, body);
    }

    public static AwsResponse json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static AwsResponse empty(int status) {
        return new AwsResponse(status, Map.of(), new byte[0]);
    }

    /** A copy with one more header. */
    public AwsResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new AwsResponse(status, copy, body);
    }
}
