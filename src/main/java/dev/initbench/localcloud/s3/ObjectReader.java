package dev.initbench.localcloud.s3;

/** Reads objects from the local S3 store; the Lambda service takes function code from here. */
public interface ObjectReader {

    /**
     * @throws dev.initbench.localcloud.protocol.AwsServiceException {@code NoSuchBucket} or {@code NoSuchKey}
     */
    byte[] getObject(String bucket, String key);
}
