package dev.initbench.localcloud.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The form parameters of an awsQuery request ({@code Action=...&Parameters.member.1.ParameterKey=...}), with
 * accessors for awsQuery's list serialization ({@code Name.member.N}, 1-based).
 */
public final class QueryParameters {

    private final Map<String, String> values;

    public QueryParameters(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The value, or an awsQuery {@code ValidationError} naming the missing member. */
    public String required(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new AwsServiceException("ValidationError", 400,
                    "1 validation error detected: Value null at '" + name + "' failed to satisfy constraint: "
                            + "Member must not be null");
        }
        return value;
    }

    /** The scalar list {@code name.member.1}, {@code name.member.2}, ... */
    public List<String> list(String name) {
        List<String> list = new ArrayList<>();
        for (int i = 1; values.containsKey(name + ".member." + i); i++) {
            list.add(values.get(name + ".member." + i));
        }
        return list;
    }

    /** The structure list {@code name.member.N.Field}: one {@code QueryParameters} per member, keyed by field. */
    public List<QueryParameters> structures(String name) {
        List<QueryParameters> list = new ArrayList<>();
        for (int i = 1; ; i++) {
            String prefix = name + ".member." + i + ".";
            Map<String, String> member = new TreeMap<>();
            values.forEach((key, value) -> {
                if (key.startsWith(prefix)) {
                    member.put(key.substring(prefix.length()), value);
                }
            });
            if (member.isEmpty()) {
                return list;
            }
            list.add(new QueryParameters(member));
        }
    }

    public Map<String, String> asMap() {
        return values;
    }
}
