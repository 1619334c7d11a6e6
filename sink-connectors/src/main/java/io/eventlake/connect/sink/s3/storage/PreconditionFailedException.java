package io.eventlake.connect.sink.s3.storage;

import org.apache.kafka.connect.errors.ConnectException;

/** A conditional write found the object in another state than it expected (HTTP 412). */
public class PreconditionFailedException extends ConnectException {

    public PreconditionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
