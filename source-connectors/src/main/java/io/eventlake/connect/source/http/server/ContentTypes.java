package io.eventlake.connect.source.http.server;

import java.util.Locale;

import com.sun.net.httpserver.Headers;

import io.eventlake.connect.source.http.event.BodyParser;

/**
 * The body formats taken, from the {@code Content-Type} header: {@code application/json} (one event object or an
 * array of them) and {@code application/x-ndjson} (also {@code application/ndjson}, {@code application/jsonl}: one
 * event per line), in UTF-8, without a {@code Content-Encoding}. Anything else is answered 415.
 */
final class ContentTypes {

    static final String ACCEPTED = "application/json (an event or an array of events) or application/x-ndjson "
        + "(one event per line), UTF-8, no Content-Encoding";

    private ContentTypes() {
    }

    static BodyParser.Format format(Headers headers) throws Rejection {
        String encoding = headers.getFirst("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw unsupported("Content-Encoding " + encoding + " is not supported");
        }
        String type = headers.getFirst("Content-Type");
        if (type == null || type.isBlank()) {
            throw unsupported("no Content-Type");
        }
        String[] parts = type.split(";");
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].trim().split("=", 2);
            if (param.length == 2 && param[0].trim().equalsIgnoreCase("charset")) {
                String charset = param[1].trim().replace("\"", "");
                if (!charset.equalsIgnoreCase("utf-8") && !charset.equalsIgnoreCase("utf8")) {
                    throw unsupported("charset " + charset + " is not supported");
                }
            }
        }
        return switch (media) {
            case "application/json" -> BodyParser.Format.JSON;
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines" ->
                BodyParser.Format.NDJSON;
            default -> throw unsupported("Content-Type " + media + " is not supported");
        };
    }

    private static Rejection unsupported(String problem) {
        return new Rejection(Response.rejected(415, problem + "; send " + ACCEPTED));
    }
}
