package io.eventlake.connect.source.http.server;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * An answer to a client: a status, a small JSON body and extra headers. Every error body says what happened to the
 * request's events in {@code "stored"}: {@code "none"} (nothing from the request was written: safe to retry),
 * {@code "unknown"} (the events were handed to Kafka but not acknowledged: a retry may store them twice) or
 * {@code "partial"}.
 */
public record Response(int status, String body, Map<String, String> headers) {

    public static final String STORED_NONE = "none";
    public static final String STORED_UNKNOWN = "unknown";
    public static final String STORED_PARTIAL = "partial";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    static Response accepted(int events) {
        return new Response(200, json("accepted", events), Map.of());
    }

    static Response acceptedWithDropped(int events, int dropped) {
        return new Response(200, json("accepted", events, "dropped", dropped), Map.of());
    }

    /** An error after which the request's events are certainly not stored. */
    static Response rejected(int status, String error) {
        return new Response(status, json("error", error, "stored", STORED_NONE), Map.of());
    }

    static Response rejected(int status, String error, Map<String, String> headers) {
        return new Response(status, json("error", error, "stored", STORED_NONE), headers);
    }

    /** Nothing stored and the server is busy or stopping: come back after {@code retryAfterSeconds}. */
    static Response unavailable(String error, int retryAfterSeconds) {
        return new Response(503, json("error", error, "stored", STORED_NONE),
            Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
    }

    /** The events were handed to Kafka, but whether they were stored is not known. */
    static Response unknown(int status, String error) {
        return new Response(status, json("error", error, "stored", STORED_UNKNOWN), Map.of());
    }

    static Response partial(String error, int written, int notWritten) {
        return new Response(500, json("error", error, "stored", STORED_PARTIAL, "written", written, "not_written",
            notWritten), Map.of());
    }

    static Response badRequest(String error, int line, int event, String field) {
        return new Response(400, json("error", error, "line", line, "event", event, "field", field, "stored",
            STORED_NONE), Map.of());
    }

    /** A JSON object of name/value pairs (strings and integers). */
    static String json(Object... pairs) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < pairs.length; i += 2) {
                String name = (String) pairs[i];
                Object value = pairs[i + 1];
                if (value instanceof Number n) {
                    g.writeNumberField(name, n.longValue());
                } else {
                    g.writeStringField(name, String.valueOf(value));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append('\n').toString();
    }
}
