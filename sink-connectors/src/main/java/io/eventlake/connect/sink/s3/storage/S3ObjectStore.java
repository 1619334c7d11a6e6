package io.eventlake.connect.sink.s3.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.connect.errors.ConnectException;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/** {@link ObjectStore} over one S3 bucket with the AWS SDK v2 (synchronous client, Apache HTTP client 5). */
public final class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;
    private final S3Settings.Encryption sse;
    private final AutoCloseable credentials;

    S3ObjectStore(S3Client s3, String bucket, S3Settings.Encryption sse, AutoCloseable credentials) {
        this.s3 = s3;
        this.bucket = bucket;
        this.sse = sse;
        this.credentials = credentials;
    }

    public static S3ObjectStore create(S3Settings settings) {
        AwsCredentialsProvider credentials = credentials(settings);
        S3Settings.Client c = settings.client();
        Apache5HttpClient.Builder http = Apache5HttpClient.builder();
        if (!c.connectionTimeout().isZero()) {
            http.connectionTimeout(c.connectionTimeout());
        }
        if (!c.socketTimeout().isZero()) {
            http.socketTimeout(c.socketTimeout());
        }
        if (c.maxConnections() > 0) {
            http.maxConnections(c.maxConnections());
        }
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.retry().maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.retry().baseDelay(),
                    settings.retry().maxDelay()))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(settings.retry().baseDelay(),
                    settings.retry().maxDelay()))
                .build());
        if (!c.apiCallTimeout().isZero()) {
            override.apiCallTimeout(c.apiCallTimeout());
        }
        if (!c.apiCallAttemptTimeout().isZero()) {
            override.apiCallAttemptTimeout(c.apiCallAttemptTimeout());
        }
        S3ClientBuilder builder = S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials)
            .httpClientBuilder(http)
            .overrideConfiguration(override.build())
            // Flexible checksums only where S3 requires them: many S3-compatible servers reject aws-chunked bodies.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (!settings.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(settings.endpoint().trim()));
        }
        return new S3ObjectStore(builder.build(), settings.bucket(), settings.sse(),
            credentials instanceof AutoCloseable closeable ? closeable : null);
    }

    static AwsCredentialsProvider credentials(S3Settings settings) {
        S3Settings.Credentials c = settings.credentials();
        switch (c.mode()) {
            case "static":
                return StaticCredentialsProvider.create(AwsBasicCredentials.create(c.accessKeyId(),
                    c.secretAccessKey()));
            case "assume-role":
                StsClient sts = StsClient.builder().region(Region.of(settings.region()))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
                return StsAssumeRoleCredentialsProvider.builder().stsClient(sts).asyncCredentialUpdateEnabled(false)
                    .refreshRequest(r -> {
                        r.roleArn(c.roleArn()).roleSessionName(c.roleSessionName());
                        if (!c.roleExternalId().isBlank()) {
                            r.externalId(c.roleExternalId());
                        }
                    }).build();
            default:
                return DefaultCredentialsProvider.builder().build();
        }
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public String putIfAbsent(String key, Supplier<InputStream> content, long length) {
        return put(key, content, length, b -> b.ifNoneMatch("*"));
    }

    @Override
    public String putIfMatch(String key, Supplier<InputStream> content, long length, String etag) {
        return put(key, content, length, b -> b.ifMatch(etag));
    }

    private String put(String key, Supplier<InputStream> content, long length,
                       java.util.function.Consumer<PutObjectRequest.Builder> condition) {
        try {
            return s3.putObject(b -> {
                b.bucket(bucket).key(key).contentLength(length);
                condition.accept(b);
                sse.algorithm().ifPresent(b::serverSideEncryption);
                if (!sse.kmsKeyId().isBlank()) {
                    b.ssekmsKeyId(sse.kmsKeyId());
                }
            }, RequestBody.fromContentProvider(content::get, length, "application/octet-stream")).eTag();
        } catch (SdkException e) {
            throw S3Errors.translate("write", bucket, key, e);
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        try {
            ResponseBytes<GetObjectResponse> r = s3.getObject(b -> b.bucket(bucket).key(key),
                ResponseTransformer.toBytes());
            return Optional.of(new StoredObject(r.asByteArray(), r.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw S3Errors.translate("read", bucket, key, e);
        }
    }

    @Override
    public Optional<Long> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Errors.translate("look up", bucket, key, e);
        } catch (SdkException e) {
            throw S3Errors.translate("look up", bucket, key, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw S3Errors.translate("delete", bucket, key, e);
        }
    }

    @Override
    public io.eventlake.connect.sink.s3.storage.MultipartUpload startMultipart(String key) {
        try {
            String uploadId = s3.createMultipartUpload(b -> {
                b.bucket(bucket).key(key);
                sse.algorithm().ifPresent(b::serverSideEncryption);
                if (!sse.kmsKeyId().isBlank()) {
                    b.ssekmsKeyId(sse.kmsKeyId());
                }
            }).uploadId();
            return new S3Multipart(key, uploadId);
        } catch (SdkException e) {
            throw S3Errors.translate("start a multipart upload of", bucket, key, e);
        }
    }

    @Override
    public List<PendingUpload> pendingUploads(String prefix) {
        List<PendingUpload> uploads = new ArrayList<>();
        String keyMarker = null;
        String uploadMarker = null;
        try {
            while (true) {
                String km = keyMarker;
                String um = uploadMarker;
                ListMultipartUploadsResponse page = s3.listMultipartUploads(b -> b.bucket(bucket).prefix(prefix)
                    .keyMarker(km).uploadIdMarker(um));
                for (MultipartUpload u : page.uploads()) {
                    uploads.add(new PendingUpload(u.key(), u.uploadId()));
                }
                if (!Boolean.TRUE.equals(page.isTruncated())) {
                    return uploads;
                }
                keyMarker = page.nextKeyMarker();
                uploadMarker = page.nextUploadIdMarker();
            }
        } catch (SdkException e) {
            throw S3Errors.translate("list multipart uploads under", bucket, prefix, e);
        }
    }

    @Override
    public void abortUpload(PendingUpload upload) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
        } catch (NoSuchUploadException e) {
            // Already completed or aborted.
        } catch (SdkException e) {
            throw S3Errors.translate("abort the multipart upload of", bucket, upload.key(), e);
        }
    }

    /** Fails when the bucket is missing or the credentials are wrong; the message says which. */
    public void checkBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            // HEAD has no body, so S3 sends no error code: name the usual causes by status.
            String code = e.statusCode() == 404 ? "NoSuchBucket" : e.statusCode() == 301 ? "PermanentRedirect"
                : e.statusCode() == 403 ? "AccessDenied" : "";
            throw new StorageException("bucket '" + bucket + "': " + S3Errors.permanentHint(e.statusCode(), code,
                bucket) + " [HTTP " + e.statusCode() + "]", e);
        } catch (SdkException e) {
            throw S3Errors.translate("reach", bucket, null, e);
        }
    }

    /** Writes, reads back and deletes a small object: proves the credentials may write, not only list. */
    public void checkWritable(String probeKey) {
        byte[] probe = "eventlake write check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            s3.putObject(b -> b.bucket(bucket).key(probeKey).contentLength((long) probe.length),
                RequestBody.fromBytes(probe));
            s3.deleteObject(b -> b.bucket(bucket).key(probeKey));
        } catch (SdkException e) {
            throw S3Errors.translate("write", bucket, probeKey, e);
        }
    }

    @Override
    public void close() {
        s3.close();
        if (credentials != null) {
            try {
                credentials.close();
            } catch (Exception e) {
                throw new ConnectException("cannot close the credentials provider", e);
            }
        }
    }

    private final class S3Multipart implements io.eventlake.connect.sink.s3.storage.MultipartUpload {
        private final String key;
        private final String uploadId;
        private final List<CompletedPart> parts = new ArrayList<>();

        S3Multipart(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public String uploadId() {
            return uploadId;
        }

        @Override
        public void uploadPart(byte[] bytes, int length) {
            int number = parts.size() + 1;
            try {
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength((long) length), RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(bytes, 0, length), length, "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            } catch (SdkException e) {
                throw S3Errors.translate("upload part " + number + " of", bucket, key, e);
            }
        }

        @Override
        public String completeIfAbsent() {
            try {
                return s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId).ifNoneMatch("*")
                    .multipartUpload(m -> m.parts(parts))).eTag();
            } catch (SdkException e) {
                throw S3Errors.translate("complete the multipart upload of", bucket, key, e);
            }
        }

        @Override
        public void abort() {
            abortUpload(new PendingUpload(key, uploadId));
        }
    }
}
