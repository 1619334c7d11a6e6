package io.eventlake.it.faults;

import java.util.Map;

/**
 * A request the proxy saw: its sequence number, the client connection it came on, method, target as sent, path
 * with %XX escapes decoded (without the query) and its headers (Authorization left out).
 */
public record Request(int seq, int connection, String method, String target, String path,
                      Map<String, String> headers) {

    public String header(String name) {
        return headers.get(name);
    }
}
