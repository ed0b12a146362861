package dev.initbench.localcloud.lambda;

import java.nio.file.Path;
import java.util.Map;

/**
 * The immutable configuration of one function version ({@code $LATEST} or a published number) as Lambda keeps it.
 *
 * @param functionName  the function's name
 * @param functionArn   its unqualified ARN
 * @param version       {@code $LATEST} or the published version number
 * @param runtime       a supported runtime, e.g. {@code java21} or {@code nodejs22.x}
 * @param handler       {@code pkg.Class::method} (Java) or {@code file.export} (Node.js)
 * @param memorySizeMb  memory size in MB
 * @param timeoutSeconds invocation timeout
 * @param role          execution role ARN (recorded, not enforced)
 * @param description   description
 * @param variables     the function's own environment variables
 * @param codeDirectory the unpacked deployment package (the environment's working directory)
 * @param codeSize      size of the deployment package in bytes
 * @param codeSha256    base64 SHA-256 of the deployment package
 * @param lastModified  ISO-8601 timestamp in Lambda's {@code yyyy-MM-dd'T'HH:mm:ss.SSS+0000} form
 * @param revisionId    changes whenever the configuration changes
 */
public record FunctionVersion(String functionName, String functionArn, String version, String runtime,
                              String handler, int memorySizeMb, int timeoutSeconds, String role,
                              String description, Map<String, String> variables, Path codeDirectory,
                              long codeSize, String codeSha256, String lastModified, String revisionId) {

    public static final String LATEST = "$LATEST";

    public FunctionVersion {
        variables = Map.copyOf(variables);
    }

    /** The ARN qualified with this version. */
    public String versionArn() {
        return functionArn + ":" + version;
    }

    /** A published copy of this configuration under {@code number}. */
    FunctionVersion publishedAs(String number, String published, String newRevisionId) {
        return new FunctionVersion(functionName, functionArn, number, runtime, handler, memorySizeMb,
                timeoutSeconds, role, description, variables, codeDirectory, codeSize, codeSha256, published,
                newRevisionId);
    }
}
