package io.eventlake.connect.sink.s3.commit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.eventlake.connect.sink.s3.storage.ObjectStore;

/** Reads and writes each Kafka partition's {@link Checkpoint} as a small JSON object in the bucket. */
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

    public Optional<Checkpoint> read(TopicPartition tp) {
        String key = key(tp);
        return store.get(key).map(bytes -> {
            try {
                return JSON.readValue(bytes, Checkpoint.class);
            } catch (IOException e) {
                throw new ConnectException("checkpoint " + key + " is not readable; fix or remove it to resume "
                    + tp + " from the consumer group's offset: " + e.getMessage(), e);
            }
        });
    }

    public void write(TopicPartition tp, Checkpoint checkpoint) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(checkpoint);
        } catch (IOException e) {
            throw new ConnectException("cannot encode the checkpoint of " + tp, e);
        }
        store.put(key(tp), () -> new ByteArrayInputStream(bytes), bytes.length);
    }
}
