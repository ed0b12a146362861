package dev.initbench.localcloud.protocol;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Small helpers for writing the XML documents of awsQuery and restXml responses. */
public final class Xml {

    /** ISO-8601 with milliseconds and {@code Z}, as AWS XML responses write timestamps. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private Xml() {
    }

    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Appends {@code <name>escaped text</name>}. */
    public static StringBuilder element(StringBuilder out, String name, Object text) {
        String value = text instanceof Instant instant ? timestamp(instant) : String.valueOf(text);
        return out.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
    }
}
