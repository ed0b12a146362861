package dev.initbench.localcloud.protocol;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Small helpers for the XML documents of awsQuery and restXml: writing responses, reading request bodies. */
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

    /**
     * Parses a request body (no DTDs or external entities: a request body is untrusted input).
     *
     * @throws AwsServiceException {@code MalformedXML}, as S3 answers a body it cannot parse
     */
    public static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new AwsServiceException("MalformedXML", 400, "The XML you provided was not well-formed or did not"
                    + " validate against our published schema: " + e.getMessage());
        }
    }

    /** The text of the first {@code name} element under {@code parent}, or "" when there is none. */
    public static String childText(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
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
