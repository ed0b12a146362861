package dev.initbench.localcloud.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A service provider behind the awsJson 1.0/1.1 protocol (SSM, CloudWatch Logs): the operation comes from
 * {@code X-Amz-Target: <targetPrefix>.<Operation>}, input and output are JSON documents.
 */
public interface JsonService {

    /** The {@code X-Amz-Target} prefix, e.g. {@code AmazonSSM} or {@code Logs_20140328}. */
    String targetPrefix();

    /**
     * Performs one operation.
     *
     * @throws AwsServiceException           with AWS's error code
     * @throws NotEmulatedException           when the operation is not emulated (the protocol layer answers with
     *                                       AWS's unknown-operation error naming it)
     */
    JsonNode handle(String operation, JsonNode input);
}
