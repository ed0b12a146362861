package dev.initbench.localcloud.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one parser of {@code name=value&...} text in the local cloud: URL query strings (the endpoint, SigV4
 * verification) and form bodies (awsQuery). The two differ only in what {@code +} means, so the caller names the
 * {@link Encoding}.
 */
public final class QueryString {

    /** A decoded name and value; a name without {@code =} has the value "". */
    public record Pair(String name, String value) {
    }

    /** How the text was encoded, which decides what a bare {@code +} means. */
    public enum Encoding {
        /**
         * RFC 3986 percent-encoding, as URL paths and query strings use it: {@code +} is a literal plus. SigV4
         * canonicalisation encodes a space as {@code %20} and a plus as {@code %2B} (never a space as {@code +}),
         * and S3 reads a bare {@code +} in a query as a plus, so a key prefix {@code c++} arrives as it was meant.
         */
        PERCENT,
        /**
         * {@code application/x-www-form-urlencoded} (WHATWG URL standard), the body of awsQuery requests: {@code +}
         * is a space. The AWS SDKs write {@code %20} there anyway; hand-written forms (curl, HTML) use {@code +}.
         */
        FORM
    }

    private QueryString() {
    }

    /** The pairs of {@code a=1&b=2} in order of appearance, decoded; empty parts ({@code a=1&&b=2}) are skipped. */
    public static List<Pair> parse(String raw, Encoding encoding) {
        List<Pair> pairs = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return pairs;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            pairs.add(new Pair(decode(name, encoding), decode(value, encoding)));
        }
        return pairs;
    }

    /** Repeated names keep all their values, in order. */
    public static Map<String, List<String>> asMultiMap(List<Pair> pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Pair pair : pairs) {
            map.computeIfAbsent(pair.name(), n -> new ArrayList<>()).add(pair.value());
        }
        return map;
    }

    /**
     * Percent-decodes UTF-8 text. A {@code %} not followed by two hex digits is kept as it is: the signature check
     * that follows still refuses a request whose text was not what its client signed.
     */
    public static String decode(String text, Encoding encoding) {
        boolean plusIsSpace = encoding == Encoding.FORM;
        if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
            return text;
        }
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int high = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
            int low = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
            if (in[i] == '%' && high >= 0 && low >= 0) {
                out.write(high * 16 + low);
                i += 2;
            } else if (in[i] == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
