package io.eventlake.connect.sink.s3.storage;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Whether the S3 server honours conditional writes ({@code If-None-Match: *}, {@code If-Match}), which fencing of
 * zombie writers rests on. AWS S3, MinIO and S3Proxy do; a server that ignores the headers lets a stalled old
 * owner overwrite a checkpoint. The probe writes a small object under a key of its own, twice, and deletes it.
 */
public final class ConditionalWrites {

    private ConditionalWrites() {
    }

    /** True when a second put-if-absent of the same key and a put naming a wrong ETag are both refused. */
    public static boolean honoured(ObjectStore store, String probeKey) {
        byte[] body = "eventlake conditional write probe".getBytes(StandardCharsets.UTF_8);
        store.delete(probeKey);
        try {
            String etag = store.putIfAbsent(probeKey, () -> new ByteArrayInputStream(body), body.length);
            try {
                store.putIfAbsent(probeKey, () -> new ByteArrayInputStream(body), body.length);
                return false;
            } catch (PreconditionFailedException expected) {
                // Refused, as it must be.
            }
            try {
                store.putIfMatch(probeKey, () -> new ByteArrayInputStream(body), body.length, etag + "x");
                return false;
            } catch (PreconditionFailedException expected) {
                return true;
            }
        } finally {
            store.delete(probeKey);
        }
    }
}
