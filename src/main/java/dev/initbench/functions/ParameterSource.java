package dev.initbench.functions;

import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where a function's SSM parameter comes from: its name and how to build the SSM client that reads it.
 *
 * <p>{@link #fromEnvironment()} is what both handlers use in Lambda. It has no notion of "local" versus "AWS":
 * region and endpoint come from the SDK's standard environment ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL}),
 * credentials from the variables Lambda sets for the execution role.
 */
public final class ParameterSource {

    /** Environment variable holding the parameter's name; template.yaml sets it. */
    public static final String PARAMETER_NAME_VARIABLE = "PARAMETER_NAME";

    private final String parameterName;
    private final Supplier<SsmClient> clientFactory;
    private final InitRetry initRetry;

    ParameterSource(String parameterName, Supplier<SsmClient> clientFactory) {
        this(parameterName, clientFactory, InitRetry.DEFAULT);
    }

    ParameterSource(String parameterName, Supplier<SsmClient> clientFactory, InitRetry initRetry) {
        this.parameterName = Objects.requireNonNull(parameterName, "parameterName");
        this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
        this.initRetry = Objects.requireNonNull(initRetry, "initRetry");
    }

    /** The source described by the Lambda environment of this process. */
    public static ParameterSource fromEnvironment() {
        String name = System.getenv(PARAMETER_NAME_VARIABLE);
        if (name == null || name.isBlank()) {
            // Reported like any other unreadable parameter, so the response names the fix.
            name = "<" + PARAMETER_NAME_VARIABLE + " is not set>";
        }
        return new ParameterSource(name, ParameterSource::standardClient);
    }

    // The URL-connection client and the environment credentials provider keep cold start small:
    // no Netty or Apache client classes to load, no walk along the whole credential chain.
    private static SsmClient standardClient() {
        return SsmClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .build();
    }

    String parameterName() {
        return parameterName;
    }

    /** How the eager function retries its init fetch. */
    InitRetry initRetry() {
        return initRetry;
    }

    SsmClient newClient() {
        return clientFactory.get();
    }
}
