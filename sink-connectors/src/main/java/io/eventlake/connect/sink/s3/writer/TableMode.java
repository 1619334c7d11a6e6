package io.eventlake.connect.sink.s3.writer;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.eventlake.connect.sink.s3.commit.Lease;

/**
 * What table mode changes in the writer: partitions are leased from the tables' own record of what landed (not
 * from checkpoints in the bucket), a record a table already holds is skipped, and every file is tagged with its
 * table and partition so that its commit can register it.
 */
public interface TableMode {

    /** Leases the partitions from the tables' records; each lease resumes where its tables say. */
    Map<TopicPartition, Lease> open(Collection<TopicPartition> partitions);

    /** True when the table of {@code topic} already holds the record at {@code offset} of {@code tp}. */
    boolean landed(String topic, TopicPartition tp, long offset);

    /** What the commit needs to know about a new file whose first row is this record: its table and partition. */
    Object fileTag(String topic, SinkRecord record, Struct value);
}
