package io.eventlake.connect.sink.s3.commit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventlake.connect.sink.s3.storage.ObjectStore;

/** Reads and writes each Kafka partition's {@link Checkpoint} as a small JSON object, with its ETag. */
public final class CheckpointStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final String prefix;

    /** @param prefix folder of this lake's checkpoints, e.g. {@code _eventlake/checkpoints/topics} */
    public CheckpointStore(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public String key(TopicPartition tp) {
        return prefix + "/" + tp.topic() + "/" + tp.partition() + ".json";
    }

    /** A checkpoint and the ETag its next conditional write must name. */
    public record Versioned(Checkpoint checkpoint, String etag) {
    }

    public Optional<Versioned> read(TopicPartition tp) {
        String key = key(tp);
        return store.get(key).map(object -> {
            try {
                return new Versioned(JSON.readValue(object.bytes(), Checkpoint.class), object.etag());
            } catch (IOException e) {
                throw new ConnectException("checkpoint " + key + " is not readable; fix or remove it to resume "
                    + tp + " from the consumer group's offset: " + e.getMessage(), e);
            }
        });
    }

    /** Writes the first checkpoint of a partition; fails if one appeared meanwhile. */
    public String create(TopicPartition tp, Checkpoint checkpoint) {
        byte[] bytes = encode(tp, checkpoint);
        return store.putIfAbsent(key(tp), () -> new ByteArrayInputStream(bytes), bytes.length);
    }

    /** Replaces the checkpoint only if it is still the version with {@code etag}. */
    public String replace(TopicPartition tp, Checkpoint checkpoint, String etag) {
        byte[] bytes = encode(tp, checkpoint);
        return store.putIfMatch(key(tp), () -> new ByteArrayInputStream(bytes), bytes.length, etag);
    }

    /** Removes the checkpoint: the partition resumes from the consumer group's offset (offsets reset). */
    public void delete(TopicPartition tp) {
        store.delete(key(tp));
    }

    private static byte[] encode(TopicPartition tp, Checkpoint checkpoint) {
        try {
            return JSON.writeValueAsBytes(checkpoint);
        } catch (IOException e) {
            throw new ConnectException("cannot encode the checkpoint of " + tp, e);
        }
    }
}
