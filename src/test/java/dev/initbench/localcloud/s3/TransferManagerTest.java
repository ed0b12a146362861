package dev.initbench.localcloud.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.LocalCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedFileUpload;

/**
 * The SDK's own multipart path: S3TransferManager over an S3AsyncClient with multipart enabled (Netty, unsigned
 * aws-chunked parts with CRC32 trailers), uploading a file above its threshold and downloading it by parts.
 */
class TransferManagerTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void uploadsAFileAboveTheThresholdInPartsAndDownloadsItBack(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("initbench-functions.zip");
        Files.write(file, MultipartUploadTest.random((int) (17 * MIB + 321), 17));
        List<String> operations = new CopyOnWriteArrayList<>();
        try (LocalCloud cloud = LocalCloud.builder().start();
             S3AsyncClient s3 = S3AsyncClient.builder().endpointOverride(cloud.endpoint())
                     .region(Region.of(cloud.region()))
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(cloud.accessKeyId(), cloud.secretAccessKey())))
                     .forcePathStyle(true)
                     .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                     .multipartEnabled(true)
                     .multipartConfiguration(c -> c.thresholdInBytes(8 * MIB).minimumPartSizeInBytes(5 * MIB))
                     .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                         @Override
                         public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                             operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                         }
                     }))
                     .build();
             S3TransferManager transfers = S3TransferManager.builder().s3Client(s3).build()) {
            s3.createBucket(b -> b.bucket("demo")).join();

            CompletedFileUpload uploaded = transfers.uploadFile(u -> u.source(file)
                    .putObjectRequest(p -> p.bucket("demo").key("fn.zip"))).completionFuture().join();
            Path downloaded = folder.resolve("downloaded.zip");
            transfers.downloadFile(d -> d.destination(downloaded)
                    .getObjectRequest(g -> g.bucket("demo").key("fn.zip").checksumMode(ChecksumMode.ENABLED)))
                    .completionFuture().join();
            HeadObjectResponse head = s3.headObject(b -> b.bucket("demo").key("fn.zip")
                    .checksumMode(ChecksumMode.ENABLED)).join();

            assertThat(operations).contains("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")
                    .doesNotContain("PutObject");
            assertThat(operations.stream().filter("UploadPart"::equals).count()).isEqualTo(4);
            assertThat(uploaded.response().eTag()).endsWith("-4\"");
            assertThat(Files.mismatch(file, downloaded)).isEqualTo(-1);
            assertThat(head.eTag()).isEqualTo(uploaded.response().eTag());
            assertThat(head.contentLength()).isEqualTo(Files.size(file));
            assertThat(head.checksumCRC32()).isNotBlank();
        }
    }
}
