package io.eventlake.local.stack;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment variables that connector configs name as {@code ${env:NAME}}: per-stack endpoints and secrets.
 * The Docker stack's worker gets them from docker-compose.yml; the embedded worker from the stack, through
 * {@link StackEnvConfigProvider}. Only names matching {@link #ALLOWLIST} resolve, on either worker.
 */
public final class WorkerEnvironment {

    /** The S3 server's endpoint URL, e.g. http://minio:9000. */
    public static final String S3_ENDPOINT = "EVENTLAKE_S3_ENDPOINT";
    public static final String S3_ACCESS_KEY_ID = "EVENTLAKE_S3_ACCESS_KEY_ID";
    public static final String S3_SECRET_ACCESS_KEY = "EVENTLAKE_S3_SECRET_ACCESS_KEY";
    /** The folder of the reference files the Enrich transforms of config/ read (config/reference). */
    public static final String REFERENCE_DIR = "EVENTLAKE_REFERENCE_DIR";
    /**
     * The topic FraudFlag reads confirmed fraud from ({@code fraud-reports}); empty turns the feedback rules off, as
     * on the Docker stack, whose Avro reports the transform's own converters cannot decode.
     */
    public static final String FRAUD_FEEDBACK_TOPIC = "EVENTLAKE_FRAUD_FEEDBACK_TOPIC";
    /**
     * The topic FraudFlag rebuilds its state from when a task starts ({@code transactions}, its own output); empty
     * starts tasks with empty state, as on the Docker stack, whose Avro values the transform's converter cannot decode.
     */
    public static final String FRAUD_RESTORE_TOPIC = "EVENTLAKE_FRAUD_RESTORE_TOPIC";
    /**
     * Whether the HTTP endpoint may run without authentication on a non-loopback address: true on both local stacks
     * (the launcher binds 127.0.0.1 anyway; the Docker stack publishes port 8088 for local development); on your own
     * cluster leave it false and set a token or an HMAC secret.
     */
    public static final String HTTP_ALLOW_UNAUTHENTICATED = "EVENTLAKE_HTTP_ALLOW_UNAUTHENTICATED";
    /** The sink's table.format: iceberg (tables in the stack's catalog) or parquet (bare files). */
    public static final String TABLE_FORMAT = "EVENTLAKE_TABLE_FORMAT";
    /** The Iceberg REST catalog the sink commits its tables to, e.g. http://iceberg-rest:8181. */
    public static final String ICEBERG_CATALOG_URI = "EVENTLAKE_ICEBERG_CATALOG_URI";
    /** The Kafka bootstrap servers plugins read from themselves (FraudFlag's feedback, Enrich's lookup topic). */
    public static final String KAFKA_BOOTSTRAP = "EVENTLAKE_KAFKA_BOOTSTRAP";

    /**
     * The variables {@code ${env:NAME}} may read, as in config/connect-distributed.properties: anyone allowed to PUT
     * a connector config could otherwise copy any of the worker's variables into a value they can read back.
     */
    public static final String ALLOWLIST = "^EVENTLAKE_.*";

    static final String PROVIDER_PREFIX = "config.providers.env.param.";

    private WorkerEnvironment() {
    }

    /** {@code ${env:NAME}}. */
    public static String placeholder(String name) {
        return "${env:" + name + "}";
    }

    /** Worker properties that register the variables with {@link StackEnvConfigProvider}. */
    static Map<String, String> workerProperties(Map<String, String> variables) {
        Map<String, String> w = new HashMap<>();
        variables.forEach((name, value) -> w.put(PROVIDER_PREFIX + StackEnvConfigProvider.VARIABLE_PREFIX + name,
            value));
        return w;
    }
}
