package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.protocol.AwsServiceException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code FunctionName} as Lambda accepts it: a name, {@code name:qualifier}, a partial ARN
 * ({@code 123456789012:function:name}) or a full ARN, optionally qualified; plus an explicit {@code Qualifier}.
 *
 * @param name      the function's name
 * @param qualifier the version or alias, when one was given
 */
record FunctionReference(String name, Optional<String> qualifier) {

    private static final Pattern FORM = Pattern.compile(
            "^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:|\\d{12}:function:)?"
                    + "([a-zA-Z0-9_-]{1,64})(?::(\\$LATEST|[a-zA-Z0-9_-]+))?$");

    static FunctionReference parse(String functionName, Optional<String> explicitQualifier) {
        Matcher matcher = FORM.matcher(functionName == null ? "" : functionName);
        if (!matcher.matches()) {
            throw new AwsServiceException("InvalidParameterValueException", 400, "1 validation error detected: "
                    + "Value '" + functionName + "' at 'functionName' failed to satisfy constraint: it must be a "
                    + "function name, name:qualifier, or a (partial) function ARN");
        }
        Optional<String> inName = Optional.ofNullable(matcher.group(2));
        if (inName.isPresent() && explicitQualifier.isPresent() && !inName.equals(explicitQualifier)) {
            throw new AwsServiceException("InvalidParameterValueException", 400, "The derived qualifier from the "
                    + "function name does not match the specified qualifier.");
        }
        return new FunctionReference(matcher.group(1), inName.or(() -> explicitQualifier));
    }

    static FunctionReference parse(String functionName) {
        return parse(functionName, Optional.empty());
    }
}
