package io.eventlake.connect.sink.s3.commit;

import java.util.List;

/**
 * A Kafka partition's durable state in the lake: {@code next} is the first offset not yet in committed files;
 * {@code pending} names files that may have been written after it, by an upload that did not finish its commit.
 */
public record Checkpoint(long next, List<String> pending) {

    public Checkpoint {
        pending = List.copyOf(pending);
    }

    public static Checkpoint committed(long next) {
        return new Checkpoint(next, List.of());
    }
}
