package io.eventlake.connect.source.http;

import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

import io.eventlake.connect.source.http.server.IngestRequest;

/**
 * A source record that knows the request it came from, so {@code commitRecord} finds the request without a lookup.
 * The worker hands back the very object {@code poll()} returned (the record before transforms), whatever the
 * transforms made of it.
 */
final class IngestRecord extends SourceRecord {

    private final IngestRequest request;

    IngestRecord(IngestRequest request, Map<String, ?> sourcePartition, Map<String, ?> sourceOffset, String topic,
                 Schema keySchema, Object key, Schema valueSchema, Object value, long timestamp) {
        super(sourcePartition, sourceOffset, topic, null, keySchema, key, valueSchema, value, timestamp);
        this.request = request;
    }

    IngestRequest request() {
        return request;
    }
}
