package io.eventlake.connect.sink.s3.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The object operations the sink needs: S3 in production, a map in unit tests. Writes are conditional so that a
 * writer that lost ownership of a Kafka partition (a zombie) fails instead of overwriting: {@link #putIfAbsent}
 * (HTTP {@code If-None-Match: *}) for data files and {@link #putIfMatch} ({@code If-Match: <etag>}) for
 * checkpoints. A failed condition is a {@link PreconditionFailedException}; a fault that outlasted the client's
 * retries is a {@link RetriableStorageException}; anything else (no such bucket, access denied) is a
 * {@link StorageException} that says what to fix.
 */
public interface ObjectStore extends AutoCloseable {

    /** Writes a new object; fails with {@link PreconditionFailedException} when the key exists. Returns the ETag. */
    String putIfAbsent(String key, Supplier<InputStream> content, long length);

    /** Replaces the object only while its ETag is {@code etag}; else {@link PreconditionFailedException}. */
    String putIfMatch(String key, Supplier<InputStream> content, long length, String etag);

    /** The object and its ETag, or empty when there is none. */
    Optional<StoredObject> get(String key);

    /** The object's length, or empty when there is none. */
    Optional<Long> head(String key);

    /** Deletes the object; deleting a missing key is not an error. */
    void delete(String key);

    /** Starts a multipart upload; the object appears only when it completes. */
    MultipartUpload startMultipart(String key);

    /** Multipart uploads started and neither completed nor aborted, under a key prefix. */
    List<PendingUpload> pendingUploads(String prefix);

    void abortUpload(PendingUpload upload);

    @Override
    void close();

    /** An object's bytes and ETag (quoted, as S3 returns it). */
    record StoredObject(byte[] bytes, String etag) {
    }

    /** A multipart upload in progress. */
    record PendingUpload(String key, String uploadId) {
    }
}
