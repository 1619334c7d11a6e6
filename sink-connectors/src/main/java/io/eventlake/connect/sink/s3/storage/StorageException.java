package io.eventlake.connect.sink.s3.storage;

import org.apache.kafka.connect.errors.ConnectException;

/** An S3 error that retrying will not fix: the message says what to fix (bucket, credentials, region). */
public class StorageException extends ConnectException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
