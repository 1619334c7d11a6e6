package io.eventlake.connect.sink.s3.storage;

import org.apache.kafka.connect.errors.RetriableException;

/** An S3 fault (5xx, SlowDown, timeout, reset connection) that outlasted the client's retries; may pass later. */
public class RetriableStorageException extends RetriableException {

    public RetriableStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
