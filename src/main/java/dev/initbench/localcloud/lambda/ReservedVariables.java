package dev.initbench.localcloud.lambda;

import dev.initbench.localcloud.context.CloudContext;
import dev.initbench.localcloud.credentials.SessionCredentials;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment variables Lambda reserves: the names a function may not set, and the values an environment gets.
 * The one place that builds an environment's variables.
 */
final class ReservedVariables {

    /** Keys CreateFunction refuses in {@code Environment.Variables}. */
    static final Set<String> NAMES = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    /** The managed runtimes' PATH without the runtime's own bin folder, which a runtime family puts first. */
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin:/opt/bin";

    private ReservedVariables() {
    }

    /**
     * What one environment's process sees: the variables AWS sets, then the runtime family's, then the function's
     * own. AWS_LAMBDA_MAX_CONCURRENCY is never set (see the facts). The credentials are the environment's own
     * temporary ones, as Lambda's execution role session gives (with {@code AWS_SESSION_TOKEN}).
     */
    static Map<String, String> of(EnvironmentSpec spec, PlatformLog log, CloudContext context,
                                  SessionCredentials credentials, int runtimeApiPort,
                                  Map<String, String> familyVariables) {
        FunctionVersion function = spec.function();
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("PATH", DEFAULT_PATH);
        variables.put("LANG", "en_US.UTF-8");
        variables.put("TZ", ":UTC");
        variables.put("_HANDLER", function.handler());
        variables.put("AWS_REGION", context.region());
        variables.put("AWS_DEFAULT_REGION", context.region());
        variables.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + function.runtime());
        variables.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        variables.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySizeMb()));
        variables.put("AWS_LAMBDA_FUNCTION_VERSION", function.version());
        variables.put("AWS_LAMBDA_INITIALIZATION_TYPE", spec.initializationType().value());
        variables.put("AWS_LAMBDA_LOG_GROUP_NAME", log.group());
        variables.put("AWS_LAMBDA_LOG_STREAM_NAME", log.stream());
        variables.put("AWS_ACCESS_KEY", credentials.accessKeyId());
        variables.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        variables.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        variables.put("AWS_SESSION_TOKEN", credentials.sessionToken());
        variables.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtimeApiPort);
        variables.put("LAMBDA_TASK_ROOT", function.codeDirectory().toString());
        variables.put("AWS_XRAY_CONTEXT_MISSING", "LOG_ERROR");
        // Not set by AWS: points the function's SDK clients at the local cloud.
        variables.put("AWS_ENDPOINT_URL", context.endpoint().toString());
        variables.putAll(familyVariables);
        variables.putAll(function.variables());
        return variables;
    }
}
