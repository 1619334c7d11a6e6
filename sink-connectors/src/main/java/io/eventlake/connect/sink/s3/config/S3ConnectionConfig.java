package io.eventlake.connect.sink.s3.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import io.eventlake.common.config.Validators;

/** The config fragment that reaches the bucket: endpoint, credentials, encryption, retries and client tuning. */
public final class S3ConnectionConfig {

    public static final String GROUP = "S3";

    public static final String BUCKET = "s3.bucket.name";
    public static final String REGION = "s3.region";
    public static final String ENDPOINT = "s3.endpoint.url";
    public static final String PATH_STYLE = "s3.path.style.access";
    public static final String CREDENTIALS = "aws.credentials.provider";
    public static final String ACCESS_KEY_ID = "aws.access.key.id";
    public static final String SECRET_ACCESS_KEY = "aws.secret.access.key";
    public static final String ROLE_ARN = "aws.sts.role.arn";
    public static final String ROLE_SESSION = "aws.sts.role.session.name";
    public static final String ROLE_EXTERNAL_ID = "aws.sts.role.external.id";
    public static final String SSE = "s3.sse.type";
    public static final String SSE_KMS_KEY = "s3.sse.kms.key.id";
    public static final String RETRY_ATTEMPTS = "s3.retry.max.attempts";
    public static final String RETRY_BACKOFF = "s3.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX = "s3.retry.backoff.max.ms";
    public static final String UPLOAD_THREADS = "s3.upload.threads";
    public static final String PART_BYTES = "s3.part.bytes";
    public static final String CLIENT_PREFIX = "s3.client.";
    public static final String VALIDATE_CONNECTION = "s3.validate.connection";
    public static final String CONDITIONAL_WRITES = "s3.conditional.writes.required";

    /** The SDK knobs {@code s3.client.*} passes through, each in milliseconds or a count. */
    public static final Set<String> CLIENT_KEYS = Set.of("api.call.timeout.ms", "api.call.attempt.timeout.ms",
        "connection.timeout.ms", "socket.timeout.ms", "max.connections");

    private S3ConnectionConfig() {
    }

    static ConfigDef define(ConfigDef def) {
        int order = 0;
        return def
            .define(BUCKET, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Bucket the lake is written to.", GROUP, ++order, Width.MEDIUM, "Bucket")
            .define(REGION, Type.STRING, "us-east-1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                "AWS region of the bucket.", GROUP, ++order, Width.SHORT, "Region")
            .define(ENDPOINT, Type.STRING, "", Validators.of("empty, or an http(s) URL", v -> v.isBlank()
                || v.trim().startsWith("http://") || v.trim().startsWith("https://"), "must be empty or an "
                + "http:// or https:// URL"), Importance.MEDIUM, "Endpoint of an S3-compatible server (MinIO, a "
                + "local server), e.g. http://minio:9000. Empty means AWS S3 in " + REGION + ".", GROUP, ++order,
                Width.LONG, "Endpoint")
            .define(PATH_STYLE, Type.BOOLEAN, false, Importance.LOW, "Address the bucket in the path "
                + "(http://host/bucket/key) instead of the host name; most S3-compatible servers need this.", GROUP,
                ++order, Width.SHORT, "Path-style access")
            .define(CREDENTIALS, Type.STRING, "auto", new EnumValidator(List.of("auto", "default", "static",
                "assume-role")), Importance.MEDIUM, "Where the credentials come from. auto: static keys when "
                + ACCESS_KEY_ID + " is set, else the AWS default chain (environment, profile, container or instance "
                + "role). default: the default chain. static: " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY
                + ". assume-role: STS AssumeRole of " + ROLE_ARN + ", from the default chain.", GROUP, ++order,
                Width.SHORT, "Credentials provider")
            .define(ACCESS_KEY_ID, Type.STRING, "", Importance.MEDIUM, "Access key id of static credentials. Use a "
                + "config provider (e.g. ${env:AWS_ACCESS_KEY_ID}) rather than the key itself.", GROUP, ++order,
                Width.MEDIUM, "Access key id")
            .define(SECRET_ACCESS_KEY, Type.PASSWORD, "", Importance.MEDIUM, "Secret access key of static "
                + "credentials; never logged. Use a config provider (e.g. ${env:AWS_SECRET_ACCESS_KEY}) so it is not "
                + "stored in the connector's config.", GROUP, ++order, Width.MEDIUM, "Secret access key")
            .define(ROLE_ARN, Type.STRING, "", Importance.LOW, "Role to assume with " + CREDENTIALS
                + "=assume-role.", GROUP, ++order, Width.LONG, "Role ARN")
            .define(ROLE_SESSION, Type.STRING, "eventlake-sink", Importance.LOW, "Session name of the assumed "
                + "role.", GROUP, ++order, Width.MEDIUM, "Role session name")
            .define(ROLE_EXTERNAL_ID, Type.PASSWORD, "", Importance.LOW, "External id the role's trust policy "
                + "asks for, if any.", GROUP, ++order, Width.MEDIUM, "Role external id")
            .define(SSE, Type.STRING, "none", new EnumValidator(List.of("none", "aes256", "aws:kms")),
                Importance.LOW, "Server-side encryption of every object written: none, AES256 (SSE-S3) or aws:kms "
                + "(SSE-KMS).", GROUP, ++order, Width.SHORT, "Server-side encryption")
            .define(SSE_KMS_KEY, Type.STRING, "", Importance.LOW, "KMS key id or ARN for " + SSE + "=aws:kms; "
                + "empty uses the bucket's default key.", GROUP, ++order, Width.LONG, "KMS key")
            .define(RETRY_ATTEMPTS, Type.INT, 10, Range.between(1, 100), Importance.LOW, "Attempts of one S3 request "
                + "on 500, 503 SlowDown, throttling, timeouts and reset connections, before the commit counts as "
                + "failed (the task then reads the partition again after a backoff; nothing is lost).", GROUP,
                ++order, Width.SHORT, "Request attempts")
            .define(RETRY_BACKOFF, Type.LONG, 100L, Range.atLeast(1), Importance.LOW, "Base delay of the "
                + "exponential backoff (with full jitter) between attempts of one request.", GROUP, ++order,
                Width.SHORT, "Request backoff (ms)")
            .define(RETRY_BACKOFF_MAX, Type.LONG, 20_000L, Range.atLeast(1), Importance.LOW, "Longest delay between "
                + "attempts of one request.", GROUP, ++order, Width.SHORT, "Request backoff max (ms)")
            .define(UPLOAD_THREADS, Type.INT, 4, Range.between(1, 64), Importance.LOW, "Uploads a task runs at once "
                + "(the files of a commit, and parts of large files).", GROUP, ++order, Width.SHORT,
                "Upload threads")
            .define(CONDITIONAL_WRITES, Type.STRING, "auto", new EnumValidator(List.of("auto", "true", "false")),
                Importance.MEDIUM, "Exactly once against a stalled old owner (a zombie) rests on conditional "
                + "writes (If-None-Match: * and If-Match). Each task probes the server when it starts: true refuses "
                + "to start on a server that accepts a repeated put-if-absent or a wrong If-Match; false only warns; "
                + "auto (default) is true unless the endpoint is on this machine (localhost, 127.x, ::1: a test "
                + "server). See doc/exactly-once.md.", GROUP, ++order, Width.SHORT, "Require conditional writes")
            .define(PART_BYTES, Type.INT, 8 * 1024 * 1024, Range.between(5 * 1024 * 1024, 512 * 1024 * 1024),
                Importance.LOW, "Part size of multipart uploads: a file larger than this is sent part by part "
                + "while it is written, so it never sits in memory whole.", GROUP, ++order, Width.SHORT,
                "Part bytes")
            .define(VALIDATE_CONNECTION, Type.BOOLEAN, true, Importance.LOW, "Whether validating the config (and "
                + "creating the connector) reaches the bucket with the credentials and names what is wrong: an "
                + "unreachable endpoint, no such bucket, wrong credentials or region. Other " + CLIENT_PREFIX
                + "* keys tune the S3 client: " + String.join(", ", new java.util.TreeSet<>(CLIENT_KEYS)) + ".",
                GROUP, ++order, Width.SHORT, "Validate connection");
    }

    /** Checks the {@code s3.client.*} pass-through keys: each must be known and a whole number. */
    static void validateClientKeys(Map<String, Object> clientKeys) {
        for (Map.Entry<String, Object> e : clientKeys.entrySet()) {
            String key = CLIENT_PREFIX + e.getKey();
            if (!CLIENT_KEYS.contains(e.getKey())) {
                throw new ConfigException(key, e.getValue(), "not an S3 client setting; known: "
                    + CLIENT_KEYS.stream().sorted().map(k -> CLIENT_PREFIX + k).toList());
            }
            try {
                if (Long.parseLong(String.valueOf(e.getValue()).trim()) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException ex) {
                throw new ConfigException(key, e.getValue(), "must be a whole number >= 0");
            }
        }
    }
}
