package io.eventlake.connect.sink.s3.parquet;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;

/**
 * Encoders per Connect schema. Converters hand out the same Schema instance for the same schema, so the last
 * one is checked by identity first; deep equality is the fallback. Bounded (LRU) against schema churn.
 */
public final class EncoderCache {

    private static final int MAX_SCHEMAS = 16;

    private final Map<Schema, StructEncoder> bySchema = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Schema, StructEncoder> eldest) {
            return size() > MAX_SCHEMAS;
        }
    };
    private Schema lastSchema;
    private StructEncoder lastEncoder;

    public StructEncoder encoderFor(Schema schema) {
        if (schema == lastSchema) {
            return lastEncoder;
        }
        StructEncoder encoder = bySchema.computeIfAbsent(schema, StructEncoder::new);
        lastSchema = schema;
        lastEncoder = encoder;
        return encoder;
    }
}
