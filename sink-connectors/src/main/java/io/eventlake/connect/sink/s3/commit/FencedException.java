package io.eventlake.connect.sink.s3.commit;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * This task no longer owns the partition: another task opened it since (a newer owner epoch is in its checkpoint).
 * The task must write nothing more for it and leave it to the new owner.
 */
public class FencedException extends ConnectException {

    public FencedException(String message) {
        super(message);
    }
}
