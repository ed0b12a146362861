package dev.initbench.localcloud.cloudformation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One entry of a template's {@code Parameters} section and the checks AWS applies to a value for it. Values are
 * text as on the wire; list types are comma-delimited. {@code AWS::*} types (including
 * {@code AWS::SSM::Parameter::Value<...>}) are taken as plain strings: the local cloud does not look them up.
 */
record ParameterDeclaration(String name, String type, Optional<String> defaultValue, List<String> allowedValues,
                            Optional<Pattern> allowedPattern, Optional<Integer> minLength,
                            Optional<Integer> maxLength, Optional<BigDecimal> minValue,
                            Optional<BigDecimal> maxValue, boolean noEcho, Optional<String> description,
                            Optional<String> constraintDescription) {

    private static final Set<String> ATTRIBUTES = Set.of("Type", "Default", "AllowedValues", "AllowedPattern",
            "MinLength", "MaxLength", "MinValue", "MaxValue", "NoEcho", "Description", "ConstraintDescription");

    static ParameterDeclaration parse(String name, Object declaration) {
        if (!(declaration instanceof Map<?, ?> map)) {
            throw TemplateException.format("Parameter " + name + " must be a map with at least a Type");
        }
        for (Object attribute : map.keySet()) {
            if (!ATTRIBUTES.contains(String.valueOf(attribute))) {
                throw TemplateException.format("Invalid template parameter property '" + attribute + "'");
            }
        }
        if (!(map.get("Type") instanceof String type)) {
            throw TemplateException.format("Every Parameters object must contain a Type member.");
        }
        if (!isKnownType(type)) {
            throw TemplateException.format("Unrecognized parameter type: " + type);
        }
        List<String> allowedValues = map.get("AllowedValues") == null ? List.of()
                : map.get("AllowedValues") instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : failAttribute(name, "AllowedValues", "a list");
        Optional<Pattern> pattern = text(map.get("AllowedPattern")).map(regex -> {
            try {
                return Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw TemplateException.format("Parameter " + name + " has an invalid AllowedPattern: "
                        + e.getDescription());
            }
        });
        return new ParameterDeclaration(name, type, defaultText(map.get("Default")), allowedValues, pattern,
                integer(name, "MinLength", map.get("MinLength")), integer(name, "MaxLength", map.get("MaxLength")),
                number(name, "MinValue", map.get("MinValue")), number(name, "MaxValue", map.get("MaxValue")),
                Boolean.parseBoolean(String.valueOf(map.get("NoEcho"))), text(map.get("Description")),
                text(map.get("ConstraintDescription")));
    }

    private static boolean isKnownType(String type) {
        return type.equals("String") || type.equals("Number") || type.equals("List<Number>")
                || type.equals("CommaDelimitedList") || type.startsWith("AWS::") || type.startsWith("List<AWS::");
    }

    boolean isList() {
        return type.startsWith("List<") || type.equals("CommaDelimitedList")
                || (type.startsWith("AWS::SSM::Parameter::Value<List<"));
    }

    /**
     * Checks a value and returns what {@code Ref} gives for it: the text, or a list of strings for list types.
     *
     * @throws TemplateException with AWS's message naming the parameter
     */
    Object validate(String value) {
        List<String> elements = isList() ? Arrays.stream(value.split(",", -1)).map(String::strip).toList()
                : List.of(value);
        for (String element : elements) {
            if (type.equals("Number") || type.equals("List<Number>")) {
                BigDecimal number;
                try {
                    number = new BigDecimal(element);
                } catch (NumberFormatException e) {
                    throw violation(type.equals("Number") ? "must be a number." : "must be a list of numbers, "
                            + "but '" + element + "' is not a number");
                }
                if (minValue.isPresent() && number.compareTo(minValue.get()) < 0) {
                    throw violation("must be a number not less than " + minValue.get().toPlainString());
                }
                if (maxValue.isPresent() && number.compareTo(maxValue.get()) > 0) {
                    throw violation("must be a number not greater than " + maxValue.get().toPlainString());
                }
            }
            if (!allowedValues.isEmpty() && !allowedValues.contains(element)) {
                throw violation("must be one of AllowedValues " + allowedValues);
            }
        }
        if (!isList()) {
            if (minLength.isPresent() && value.length() < minLength.get()) {
                throw violation("must contain at least " + minLength.get() + " characters");
            }
            if (maxLength.isPresent() && value.length() > maxLength.get()) {
                throw violation("must contain at most " + maxLength.get() + " characters");
            }
            if (allowedPattern.isPresent() && !allowedPattern.get().matcher(value).matches()) {
                throw violation("must match pattern " + allowedPattern.get().pattern());
            }
        }
        return isList() ? new ArrayList<>(elements) : value;
    }

    private TemplateException violation(String rule) {
        return new TemplateException("Parameter '" + name + "' " + constraintDescription
                .map(description -> "failed to satisfy constraint: " + description + " (it " + rule + ")")
                .orElse(rule));
    }

    private static Optional<String> defaultText(Object value) {
        if (value instanceof List<?> list) {
            return Optional.of(String.join(",", list.stream().map(String::valueOf).toList()));
        }
        return Optional.ofNullable(value).map(String::valueOf);
    }

    private static Optional<String> text(Object value) {
        return Optional.ofNullable(value).map(String::valueOf);
    }

    private static Optional<Integer> integer(String name, String attribute, Object value) {
        return number(name, attribute, value).map(number -> {
            try {
                return number.intValueExact();
            } catch (ArithmeticException e) {
                return failAttribute(name, attribute, "an integer");
            }
        });
    }

    private static Optional<BigDecimal> number(String name, String attribute, Object value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(String.valueOf(value)));
        } catch (NumberFormatException e) {
            return failAttribute(name, attribute, "a number");
        }
    }

    private static <T> T failAttribute(String name, String attribute, String expected) {
        throw TemplateException.format("Parameter " + name + ": " + attribute + " must be " + expected);
    }
}
