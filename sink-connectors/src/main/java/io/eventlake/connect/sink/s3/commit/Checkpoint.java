package io.eventlake.connect.sink.s3.commit;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A Kafka partition's durable state in the lake. {@code epoch} is the owner epoch: each task that opens the
 * partition raises it, and every write of the checkpoint is conditional on the ETag its owner last saw, so an older
 * owner (a zombie) can no longer write it. {@code next} is the first offset not in committed files (-1 when nothing
 * was committed yet); {@code pending} names files that may have been written after it by a commit that did not
 * finish. Checkpoints of eventlake 0.1 have no epoch and read as epoch 0.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Checkpoint(long epoch, long next, List<String> pending) {

    public Checkpoint {
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    public static Checkpoint committed(long epoch, long next) {
        return new Checkpoint(epoch, next, List.of());
    }
}
