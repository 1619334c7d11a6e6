package io.eventlake.transforms.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordDescriptionTest {

    @Test
    void aSinkRecordIsTopicPartitionAtOffset() {
        assertEquals("events-2@42", RecordDescription.of(new SinkRecord("events", 2, null, null, null, "v", 42)));
    }

    @Test
    void aSourceRecordNamesItsSourceOffset() {
        SourceRecord r = new SourceRecord(Map.of("lane", 1), Map.of("step", 7), "events", null, "v");
        assertEquals("events (source record, offset {step=7})", RecordDescription.of(r));
    }
}
