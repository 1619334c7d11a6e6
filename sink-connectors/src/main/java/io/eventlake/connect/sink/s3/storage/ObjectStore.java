package io.eventlake.connect.sink.s3.storage;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.Supplier;

/** The few object operations the sink needs; S3 in production, a map in unit tests. */
public interface ObjectStore extends AutoCloseable {

    /** Writes the whole object, replacing any object under the same key. */
    void put(String key, Supplier<InputStream> content, long length);

    Optional<byte[]> get(String key);

    /** Deletes the object; deleting a missing key is not an error. */
    void delete(String key);

    @Override
    void close();
}
