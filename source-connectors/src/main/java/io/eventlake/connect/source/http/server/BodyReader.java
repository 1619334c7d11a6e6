package io.eventlake.connect.source.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads a request body into memory within two limits: the request's own ({@code http.request.max.bytes}, 413) and
 * the buffer's byte budget shared by all requests ({@code http.buffer.max.bytes}, 503). A declared
 * {@code Content-Length} is checked and reserved before a byte is read; a chunked body is reserved piece by piece as
 * it streams in, so no body larger than the limits is ever held.
 */
final class BodyReader {

    /** A body held in memory; {@code reserved} bytes of the budget stay taken until the request is answered. */
    record Body(byte[] data, int length, long reserved) {
    }

    private static final int CHUNK = 64 * 1024;

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
        if (declaredLength >= 0) {
            return readDeclared(in, (int) declaredLength);
        }
        return readChunked(in);
    }

    private Body readDeclared(InputStream in, int length) throws Rejection, IOException {
        if (!budget.reserve(length)) {
            throw full();
        }
        try {
            byte[] data = in.readNBytes(length);
            if (data.length < length) {
                throw new IOException("the body ended after " + data.length + " of its " + length + " bytes");
            }
            return new Body(data, length, length);
        } catch (IOException | RuntimeException e) {
            budget.release(length);
            throw e;
        }
    }

    private Body readChunked(InputStream in) throws Rejection, IOException {
        byte[] data = new byte[0];
        int length = 0;
        long reserved = 0;
        try {
            while (true) {
                if (length == data.length) {
                    // One byte beyond the limit tells a body of exactly the limit from a larger one.
                    int grow = (int) Math.min(CHUNK, (long) maxBytes + 1 - length);
                    if (!budget.reserve(grow)) {
                        throw full();
                    }
                    reserved += grow;
                    data = Arrays.copyOf(data, length + grow);
                }
                int n = in.read(data, length, data.length - length);
                if (n < 0) {
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
