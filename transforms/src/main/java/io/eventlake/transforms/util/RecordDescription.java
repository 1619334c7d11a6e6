package io.eventlake.transforms.util;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/** How error messages and logs name a record: {@code topic-partition@offset} where Kafka knows it. */
public final class RecordDescription {

    private RecordDescription() {
    }

    public static String of(ConnectRecord<?> record) {
        if (record instanceof SinkRecord sink) {
            return sink.topic() + "-" + sink.kafkaPartition() + "@" + sink.kafkaOffset();
        }
        if (record instanceof SourceRecord source) {
            // A source record has no Kafka offset yet; its source offset is what the connector can find again.
            return source.topic() + (source.kafkaPartition() == null ? "" : "-" + source.kafkaPartition())
                + " (source record, offset " + source.sourceOffset() + ")";
        }
        return record.topic() + (record.kafkaPartition() == null ? "" : "-" + record.kafkaPartition());
    }
}
