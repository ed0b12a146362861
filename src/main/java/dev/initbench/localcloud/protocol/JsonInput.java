package dev.initbench.localcloud.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Typed access to the members of an awsJson request, with AWS's validation errors (the code differs by service:
 * SSM {@code ValidationException}, Logs {@code InvalidParameterException}).
 */
public final class JsonInput {

    private final JsonNode node;
    private final String validationCode;

    public JsonInput(JsonNode node, String validationCode) {
        this.node = node;
        this.validationCode = validationCode;
    }

    public JsonNode node() {
        return node;
    }

    /** A required string member, or a validation error naming it. */
    public String required(String member) {
        return text(member).orElseThrow(() -> invalid("1 validation error detected: Value null at '" + lowerFirst(member)
                + "' failed to satisfy constraint: Member must not be null"));
    }

    public Optional<String> text(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isValueNode()) {
            throw invalid("Member '" + member + "' must be a string, got " + value.getNodeType());
        }
        return Optional.of(value.asText());
    }

    public boolean flag(String member) {
        JsonNode value = node.get(member);
        if (value != null && !value.isNull() && !value.isBoolean()) {
            throw invalid("Member '" + member + "' must be true or false, got " + value);
        }
        return value != null && value.asBoolean();
    }

    public OptionalLong number(String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isNumber()) {
            throw invalid("Member '" + member + "' must be a number, got " + value);
        }
        return OptionalLong.of(value.asLong());
    }

    /** A list of strings; empty when absent. */
    public List<String> strings(String member) {
        JsonNode value = node.get(member);
        List<String> list = new ArrayList<>();
        if (value == null || value.isNull()) {
            return list;
        }
        if (!value.isArray()) {
            throw invalid("Member '" + member + "' must be a list of strings, got " + value.getNodeType());
        }
        value.forEach(item -> list.add(item.asText()));
        return list;
    }

    /** A validation error of this service. */
    public AwsServiceException invalid(String message) {
        return new AwsServiceException(validationCode, 400, message);
    }

    private static String lowerFirst(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }
}
