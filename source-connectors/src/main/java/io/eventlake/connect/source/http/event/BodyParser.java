package io.eventlake.connect.source.http.event;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Parses a request body into its events, all or nothing: the first problem stops the parse with an
 * {@link InvalidBodyException} naming its line, the event's position in the request and the field. Bodies are
 * {@link Format#JSON} (one object, or an array of objects) or {@link Format#NDJSON} (one object per line).
 */
public final class BodyParser {

    public enum Format { JSON, NDJSON }

    private final JsonFactory json = JsonFactory.builder().build();
    private final EventReader reader;

    public BodyParser(EventReader reader) {
        this.reader = reader;
    }

    public List<Event> parse(byte[] body, int length, Format format, long receivedAt) {
        List<Event> events = new ArrayList<>();
        try (JsonParser p = json.createParser(body, 0, length)) {
            if (format == Format.JSON) {
                parseJson(p, events, receivedAt);
            } else {
                parseNdjson(p, events, receivedAt);
            }
        } catch (JsonProcessingException e) {
            throw new InvalidBodyException("malformed JSON: " + e.getOriginalMessage(),
                e.getLocation() == null ? 0 : e.getLocation().getLineNr(), events.size() + 1, "");
        } catch (IOException e) {
            // Parsing a byte array does no I/O; a failure here is malformed input too.
            throw new InvalidBodyException("unreadable body: " + e.getMessage(), 0, events.size() + 1, "");
        }
        if (events.isEmpty()) {
            throw new InvalidBodyException("the request has no events", 0, 0, "");
        }
        return events;
    }

    private void parseJson(JsonParser p, List<Event> events, long receivedAt) throws IOException {
        JsonToken first = p.nextToken();
        if (first == JsonToken.START_ARRAY) {
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new InvalidBodyException("malformed JSON: the array is not closed", line(p), 0, "");
                }
                events.add(readEvent(p, events.size() + 1, receivedAt));
            }
        } else if (first != null) {
            events.add(readEvent(p, 1, receivedAt));
        }
        JsonToken rest = p.nextToken();
        if (rest != null) {
            throw new InvalidBodyException("unexpected " + JsonTypes.describe(rest) + " after the JSON value (send "
                + "several events as an array, or as application/x-ndjson)", line(p), 0, "");
        }
    }

    private void parseNdjson(JsonParser p, List<Event> events, long receivedAt) throws IOException {
        int lastLine = 0;
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            int startLine = line(p);
            if (startLine == lastLine) {
                throw new InvalidBodyException("a second JSON value on the same line; NDJSON has one event per line",
                    startLine, events.size() + 1, "");
            }
            events.add(readEvent(p, events.size() + 1, receivedAt));
            lastLine = line(p);
            if (lastLine != startLine) {
                throw new InvalidBodyException("the event spans lines " + startLine + " to " + lastLine
                    + "; NDJSON has one event per line", startLine, events.size(), "");
            }
        }
    }

    private Event readEvent(JsonParser p, int ordinal, long receivedAt) throws IOException {
        try {
            return reader.read(p, receivedAt);
        } catch (InvalidEventException e) {
            // The parser stopped on the offending token: its line is the one to show.
            throw new InvalidBodyException(e.problem(), line(p), ordinal, e.field());
        }
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}
