package dev.initbench.localcloud;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Hand-built requests to the local cloud, signed with the SDK's own SigV4 signer and sent over a plain socket, for
 * what the service clients cannot express: IAM (no IAM client in the build), a chosen Host header, a chosen clock,
 * unsigned or malformed requests.
 */
public final class SignedHttp {

    /** A response with lower-cased header names. */
    public record Response(int status, Map<String, List<String>> headers, String body) {

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.get(0);
        }
    }

    /** A request to sign and send; {@code pathAndQuery} must already be percent-encoded. */
    public record Request(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {

        public static Request form(String body) {
            return new Request("POST", "/", Map.of("Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
        }

        public static Request json(String target, String body) {
            return new Request("POST", "/", Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target",
                    target), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private SignedHttp() {
    }

    /** Signs with the cloud's own credentials at the current time. */
    public static Response send(LocalCloud cloud, String signingName, Request request) {
        return send(cloud, signingName, request, cloud.accessKeyId(), cloud.secretAccessKey(), Clock.systemUTC());
    }

    public static Response send(LocalCloud cloud, String signingName, Request request, String accessKeyId,
                                String secret, Clock clock) {
        return sendUnsigned(cloud.endpoint(), sign(cloud, signingName, request, accessKeyId, secret, clock));
    }

    /** The request with the SigV4 headers the SDK's signer adds ({@code Authorization}, {@code X-Amz-Date}, ...). */
    public static Request sign(LocalCloud cloud, String signingName, Request request, String accessKeyId,
                               String secret, Clock clock) {
        SdkHttpRequest.Builder http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method()))
                .uri(URI.create(cloud.endpoint() + request.pathAndQuery()));
        request.headers().forEach(http::putHeader);
        boolean s3 = "s3".equals(signingName);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(http.build())
                .payload(ContentStreamProvider.fromByteArray(request.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, cloud.region())
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, !s3)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, !s3)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> headers = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> headers.put(name, String.join(",", values)));
        return new Request(request.method(), request.pathAndQuery(), headers, request.body());
    }

    /** Sends exactly what is given (plus Host, Content-Length and Connection: close when absent). */
    public static Response sendUnsigned(URI endpoint, Request request) {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head(endpoint, request).getBytes(StandardCharsets.UTF_8));
            out.write(request.body());
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String head(URI endpoint, Request request) {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.pathAndQuery())
                .append(" HTTP/1.1\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", endpoint.getHost() + ":" + endpoint.getPort());
        request.headers().forEach((name, value) -> {
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, value);
        });
        if (headers.keySet().stream().noneMatch("content-length"::equalsIgnoreCase)) {
            headers.put("Content-Length", Integer.toString(request.body().length));
        }
        headers.put("Connection", "close");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    public static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    n -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(split + 4));
    }

    /** Reads from a stream until {@code marker} has been seen; used to wait for an interim response. */
    public static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            seen.write(b);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }
}
