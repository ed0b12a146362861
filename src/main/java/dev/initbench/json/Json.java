package dev.initbench.json;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one Jackson configuration the bench and the local cloud share (the functions keep their own minimal writer:
 * the Lambda artifact must not grow). Jackson's defaults, handed out as immutable readers and writers: a caller
 * that needs a feature derives its own ({@code Json.WRITER.withDefaultPrettyPrinter()},
 * {@code Json.READER.with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)}), so nobody can reconfigure what the
 * others use.
 */
public final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Reads JSON with Jackson's defaults; {@code forType(...)} for data binding. */
    public static final ObjectReader READER = MAPPER.reader();

    /** Writes JSON compactly with Jackson's defaults. */
    public static final ObjectWriter WRITER = MAPPER.writer();

    private Json() {
    }

    /** A new, empty JSON object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
