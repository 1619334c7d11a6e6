package io.eventlake.connect.sink.s3.storage;

import java.time.Duration;
import java.util.Optional;

/**
 * How to reach the bucket: plain values, so the storage layer does not depend on the connector's config class.
 *
 * @param endpoint         empty for AWS; else an S3-compatible server's URL
 * @param credentials      where the credentials come from
 * @param sse              server-side encryption asked for on every write
 * @param retry            the client's retries of one request: attempts in all, exponential backoff with full jitter
 * @param client           timeouts and connection pool of the HTTP client
 */
public record S3Settings(String bucket, String region, String endpoint, boolean pathStyle, Credentials credentials,
                         Encryption sse, Retry retry, Client client) {

    /** {@code mode} is default (the AWS chain), static (keys) or assume-role (STS, from the default chain). */
    public record Credentials(String mode, String accessKeyId, String secretAccessKey, String roleArn,
                              String roleSessionName, String roleExternalId) {

        public static Credentials defaultChain() {
            return new Credentials("default", "", "", "", "", "");
        }

        public static Credentials of(String accessKeyId, String secretAccessKey) {
            return new Credentials("static", accessKeyId, secretAccessKey, "", "", "");
        }

        @Override
        public String toString() {
            // Never print the secret.
            return "Credentials[mode=" + mode + ", accessKeyId=" + accessKeyId + ", roleArn=" + roleArn + "]";
        }
    }

    /** {@code type} is none, AES256 (SSE-S3) or aws:kms (SSE-KMS, with an optional key id). */
    public record Encryption(String type, String kmsKeyId) {

        public static final Encryption NONE = new Encryption("none", "");

        public Optional<String> algorithm() {
            return "none".equals(type) ? Optional.empty() : Optional.of(type);
        }
    }

    public record Retry(int maxAttempts, Duration baseDelay, Duration maxDelay) {

        public static final Retry DEFAULT = new Retry(10, Duration.ofMillis(100), Duration.ofSeconds(20));
    }

    /** Zero means the SDK's default. */
    public record Client(Duration apiCallTimeout, Duration apiCallAttemptTimeout, Duration connectionTimeout,
                         Duration socketTimeout, int maxConnections) {

        public static final Client DEFAULT = new Client(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
    }

    /** For tests and tools: static keys against an S3-compatible endpoint, path-style, default tuning. */
    public static S3Settings forEndpoint(String bucket, String endpoint, String accessKeyId, String secretAccessKey) {
        return new S3Settings(bucket, "us-east-1", endpoint, true, Credentials.of(accessKeyId, secretAccessKey),
            Encryption.NONE, Retry.DEFAULT, Client.DEFAULT);
    }

    public S3Settings withRetry(Retry r) {
        return new S3Settings(bucket, region, endpoint, pathStyle, credentials, sse, r, client);
    }

    public S3Settings withClient(Client c) {
        return new S3Settings(bucket, region, endpoint, pathStyle, credentials, sse, retry, c);
    }
}
