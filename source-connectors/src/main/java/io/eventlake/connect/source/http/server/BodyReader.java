package io.eventlake.connect.source.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a request body into memory within two limits: the request's own ({@code http.request.max.bytes}, 413) and
 * the buffer's byte budget shared by all requests ({@code http.buffer.max.bytes}, 503). A declared
 * {@code Content-Length} over the request limit is refused before a byte is read; every body, declared or chunked, is
 * reserved as it arrives (the reservation doubling as it fills), so no body larger than the limits is ever held and
 * a body that is slow to come holds only what came.
 */
final class BodyReader {

    /** A body held in memory; {@code reserved} bytes of the budget stay taken until the request is answered. */
    record Body(byte[] data, int length, long reserved) {
    }

    /**
     * The first reservation of a body; each further one doubles what the body holds. A client that declares a large
     * body and sends it slowly holds no more of the budget than it has sent (times two), so a few slow clients cannot
     * fill the buffer for everyone else by declaring lengths.
     */
    static final int FIRST_RESERVATION = 16 * 1024;

    private final int maxBytes;
    private final IngestBuffer budget;
    private final int retryAfterSeconds;

    BodyReader(int maxBytes, IngestBuffer budget, int retryAfterSeconds) {
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * @param declaredLength the Content-Length, or -1 for a chunked body
     * @throws Rejection 413 or 503; nothing stays reserved
     * @throws IOException the client went away; nothing stays reserved
     */
    Body read(InputStream in, long declaredLength) throws Rejection, IOException {
        if (declaredLength > maxBytes) {
            throw tooLarge(declaredLength + " bytes");
        }
        // One byte beyond the limit tells a chunked body of exactly the limit from a larger one.
        int capacity = declaredLength >= 0 ? (int) declaredLength : maxBytes + 1;
        byte[] data = new byte[0];
        int length = 0;
        long reserved = 0;
        try {
            while (declaredLength < 0 || length < declaredLength) {
                if (length == data.length) {
                    int grown = (int) Math.min(capacity, Math.max(FIRST_RESERVATION, 2L * data.length));
                    if (!budget.reserve(grown - data.length)) {
                        throw full();
                    }
                    reserved += grown - data.length;
                    data = Arrays.copyOf(data, grown);
                }
                int n = in.read(data, length, data.length - length);
                if (n < 0) {
                    if (declaredLength >= 0) {
                        throw new IOException("the body ended after " + length + " of its " + declaredLength
                            + " bytes");
                    }
                    break;
                }
                length += n;
                if (length > maxBytes) {
                    throw tooLarge("more than " + maxBytes + " bytes");
                }
            }
            return new Body(data, length, reserved);
        } catch (Rejection | IOException | RuntimeException e) {
            budget.release(reserved);
            throw e;
        }
    }

    private Rejection tooLarge(String size) {
        return new Rejection(Response.rejected(413, "the body has " + size + "; the limit is " + maxBytes
            + " bytes (http.request.max.bytes): send fewer events per request", Map.of("Connection",
            "close")));
    }

    private Rejection full() {
        return new Rejection(new Response(503, Response.json("error", "the ingest buffer is full ("
            + budget.maxBytes() + " bytes, http.buffer.max.bytes): Kafka is not keeping up; retry later", "stored",
            Response.STORED_NONE), Map.of("Retry-After", Integer.toString(retryAfterSeconds),
            "Connection", "close")));
    }
}
