package dev.initbench.localcloud.logs;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.util.ArrayList;
import java.util.List;

/**
 * The unstructured-text subset of CloudWatch Logs filter patterns: {@code ERROR} (contains the term),
 * {@code ERROR timeout} (all terms), {@code "Init Duration"} (an exact phrase), {@code ?ERROR ?WARN} (any of the
 * terms), {@code ERROR -retry} (but not the term). Matching is case-sensitive, as on AWS. JSON
 * ({@code { $.x = 1 }}) and space-delimited ({@code [a, b]}) patterns are refused as not emulated.
 */
final class FilterPattern {

    private final List<String> required = new ArrayList<>();
    private final List<String> optional = new ArrayList<>();
    private final List<String> excluded = new ArrayList<>();

    private FilterPattern() {
    }

    static FilterPattern parse(String pattern) {
        FilterPattern parsed = new FilterPattern();
        String text = pattern == null ? "" : pattern.trim();
        if (text.startsWith("{") || text.startsWith("[") || text.startsWith("%")) {
            throw new AwsServiceException("InvalidParameterException", 400, "The filter pattern '" + pattern
                    + "' is a JSON, space-delimited or regular-expression pattern, which the local cloud does not "
                    + "emulate; use terms, \"quoted phrases\", ?optional terms and -excluded terms.");
        }
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            List<String> target = parsed.required;
            if (c == '?' || c == '-') {
                target = c == '?' ? parsed.optional : parsed.excluded;
                i++;
            }
            String term;
            if (i < text.length() && text.charAt(i) == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw new AwsServiceException("InvalidParameterException", 400, "Invalid character(s) in term '"
                            + text.substring(i) + "': the quoted phrase is not closed with \".");
                }
                term = text.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                    end++;
                }
                term = text.substring(i, end);
                i = end;
            }
            if (!term.isEmpty()) {
                target.add(term);
            }
        }
        return parsed;
    }

    boolean matches(String message) {
        for (String term : excluded) {
            if (message.contains(term)) {
                return false;
            }
        }
        for (String term : required) {
            if (!message.contains(term)) {
                return false;
            }
        }
        return optional.isEmpty() || optional.stream().anyMatch(message::contains);
    }
}
