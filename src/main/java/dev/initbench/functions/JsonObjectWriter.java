package dev.initbench.functions;

/**
 * Writes one flat JSON object of strings, numbers and booleans.
 *
 * <p>The functions answer small flat objects; a JSON library would add hundreds of classes to every cold start.
 */
final class JsonObjectWriter {

    private final StringBuilder json = new StringBuilder("{");

    JsonObjectWriter put(String name, String value) {
        key(name);
        if (value == null) {
            json.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonObjectWriter put(String name, long value) {
        key(name);
        json.append(value);
        return this;
    }

    JsonObjectWriter put(String name, double value) {
        key(name);
        // Three decimals are microseconds for the millisecond figures written here.
        json.append(Math.round(value * 1000) / 1000.0);
        return this;
    }

    JsonObjectWriter put(String name, boolean value) {
        key(name);
        json.append(value);
        return this;
    }

    String toJson() {
        return json + "}";
    }

    private void key(String name) {
        if (json.length() > 1) {
            json.append(',');
        }
        quote(name);
        json.append(':');
    }

    private void quote(String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': json.append("\\\""); break;
                case '\\': json.append("\\\\"); break;
                case '\n': json.append("\\n"); break;
                case '\r': json.append("\\r"); break;
                case '\t': json.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
            }
        }
        json.append('"');
    }
}
