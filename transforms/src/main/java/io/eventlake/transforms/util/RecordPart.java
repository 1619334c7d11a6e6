package io.eventlake.transforms.util;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;

/** The part of a record a Key or Value variant of a transform works on: reads it, and replaces it in a copy. */
public enum RecordPart {
    KEY("key") {
        @Override
        public Object of(ConnectRecord<?> record) {
            return record.key();
        }

        @Override
        public <R extends ConnectRecord<R>> R with(R record, Schema schema, Object key) {
            return record.newRecord(record.topic(), record.kafkaPartition(), schema, key, record.valueSchema(),
                record.value(), record.timestamp());
        }
    },
    VALUE("value") {
        @Override
        public Object of(ConnectRecord<?> record) {
            return record.value();
        }

        @Override
        public <R extends ConnectRecord<R>> R with(R record, Schema schema, Object value) {
            return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                schema, value, record.timestamp());
        }
    };

    private final String label;

    RecordPart(String label) {
        this.label = label;
    }

    /** The key or the value of the record. */
    public abstract Object of(ConnectRecord<?> record);

    /** A copy of the record with this part replaced (headers kept, as {@code newRecord} does). */
    public abstract <R extends ConnectRecord<R>> R with(R record, Schema schema, Object part);

    /** "key" or "value", for messages. */
    @Override
    public String toString() {
        return label;
    }
}
