package io.eventlake.connect.sink.s3.storage;

import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.connect.errors.ConnectException;

import io.eventlake.connect.sink.s3.S3ParquetSinkConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@link ObjectStore} over one S3 bucket with the AWS SDK v2. */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static S3ObjectStore create(S3ParquetSinkConfig config) {
        S3ClientBuilder builder = S3Client.builder()
            .region(Region.of(config.region()))
            .forcePathStyle(config.pathStyleAccess())
            .credentialsProvider(credentials(config))
            .httpClientBuilder(Apache5HttpClient.builder())
            // Flexible checksums only where S3 requires them: many S3-compatible servers reject aws-chunked bodies.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!config.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(config.endpoint().trim()));
        }
        return new S3ObjectStore(builder.build(), config.bucket());
    }

    private static AwsCredentialsProvider credentials(S3ParquetSinkConfig config) {
        if (config.accessKeyId().isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKeyId(),
            config.secretAccessKey().value()));
    }

    @Override
    public void put(String key, Supplier<InputStream> content, long length) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentLength(length),
                RequestBody.fromContentProvider(content::get, length, "application/octet-stream"));
        } catch (SdkException e) {
            throw new ConnectException("cannot write s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes())
                .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new ConnectException("cannot read s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw new ConnectException("cannot delete s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    /** Fails fast at start when the bucket is missing or the credentials are wrong. */
    public void checkBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (SdkException e) {
            throw new ConnectException("bucket '" + bucket + "' is not reachable: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
