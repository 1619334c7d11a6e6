package io.eventlake.connect.sink.s3.storage;

/**
 * An object written part by part, so a large file never has to be held in memory whole. Parts are numbered from 1
 * in the order {@link #uploadPart} is called; every part but the last must be at least 5 MiB (an S3 rule).
 * Not thread-safe: parts of one upload are sent one after another.
 */
public interface MultipartUpload {

    String key();

    String uploadId();

    void uploadPart(byte[] bytes, int length);

    /** Makes the object visible, only if no object exists under its key ({@code If-None-Match: *}). */
    String completeIfAbsent();

    /** Drops the parts; a missing upload is not an error. */
    void abort();
}
