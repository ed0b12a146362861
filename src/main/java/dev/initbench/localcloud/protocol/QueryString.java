package dev.initbench.localcloud.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsing of URL query strings and form bodies into decoded name/value pairs. */
public final class QueryString {

    public record Pair(String name, String value) {
    }

    private QueryString() {
    }

    /**
     * The pairs of {@code a=1&b=2}, percent-decoded. In form bodies ({@code formEncoded}) {@code +} is a space; in
     * URL query strings AWS clients encode a space as {@code %20} and a literal {@code +} as {@code %2B}, so a bare
     * {@code +} is kept as it is.
     */
    public static List<Pair> parse(String raw, boolean formEncoded) {
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
            pairs.add(new Pair(decode(name, formEncoded), decode(value, formEncoded)));
        }
        return pairs;
    }

    public static Map<String, List<String>> asMultiMap(List<Pair> pairs) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Pair pair : pairs) {
            map.computeIfAbsent(pair.name(), n -> new ArrayList<>()).add(pair.value());
        }
        return map;
    }

    public static String decode(String text, boolean plusIsSpace) {
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
