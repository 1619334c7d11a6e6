package io.eventlake.it.faults;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 framing, just enough to relay messages unchanged: a message head is read as the raw bytes that came in
 * (and parsed only to learn the method, target, status and how the body is framed), and a body is copied byte for
 * byte, whether it has a Content-Length, is chunked or runs to the end of the connection.
 */
final class HttpWire {

    private static final int MAX_HEAD = 64 * 1024;

    private HttpWire() {
    }

    /** A request or response head: its exact bytes and what was parsed from them. */
    record Head(byte[] raw, String startLine, Map<String, String> headers) {

        String method() {
            return startLine.substring(0, startLine.indexOf(' '));
        }

        String target() {
            String[] parts = startLine.split(" ", 3);
            return parts.length > 1 ? parts[1] : "";
        }

        int status() {
            String[] parts = startLine.split(" ", 3);
            return Integer.parseInt(parts[1]);
        }

        String header(String name) {
            return headers.get(name);
        }

        long contentLength() {
            String v = headers.get("Content-Length");
            return v == null ? -1 : Long.parseLong(v.trim());
        }

        boolean chunked() {
            String v = headers.get("Transfer-Encoding");
            return v != null && v.toLowerCase(Locale.ROOT).contains("chunked");
        }

        boolean expectsContinue() {
            String v = headers.get("Expect");
            return v != null && v.trim().equalsIgnoreCase("100-continue");
        }

        boolean closes() {
            String v = headers.get("Connection");
            return v != null && v.toLowerCase(Locale.ROOT).contains("close");
        }
    }

    /** Reads a head up to and including its empty line; null when the peer closed before sending a byte. */
    static Head readHead(InputStream in) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (raw.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a message head");
            }
            raw.write(b);
            if (raw.size() > MAX_HEAD) {
                throw new IOException("message head longer than " + MAX_HEAD + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return parse(raw.toByteArray());
    }

    static Head parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : lines.subList(1, lines.size())) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
            }
        }
        return new Head(raw, lines.get(0), headers);
    }

    /** Copies a request's body, as framed by its head. */
    static void relayRequestBody(Head request, InputStream in, OutputStream out) throws IOException {
        if (request.chunked()) {
            relayChunks(in, out);
        } else if (request.contentLength() > 0) {
            copy(in, out, request.contentLength());
        }
    }

    /** Reads and drops a request's body. */
    static void skipRequestBody(Head request, InputStream in) throws IOException {
        relayRequestBody(request, in, OutputStream.nullOutputStream());
    }

    /** True when a response to {@code method} with this head has no body at all. */
    static boolean hasNoBody(String method, Head response) {
        int status = response.status();
        return "HEAD".equals(method) || status / 100 == 1 || status == 204 || status == 304;
    }

    /**
     * Copies a response's body; returns true when it ran to the end of the connection (no length, not chunked), so
     * the connection cannot carry another message.
     */
    static boolean relayResponseBody(String method, Head response, InputStream in, OutputStream out)
        throws IOException {
        if (hasNoBody(method, response)) {
            return false;
        }
        if (response.chunked()) {
            relayChunks(in, out);
            return false;
        }
        if (response.contentLength() >= 0) {
            copy(in, out, response.contentLength());
            return false;
        }
        in.transferTo(out);
        return true;
    }

    private static void relayChunks(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = copyLine(in, out);
            int semicolon = sizeLine.indexOf(';');
            long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                // Trailers, then the empty line that ends the body.
                while (!copyLine(in, out).isEmpty()) {
                    // copied
                }
                return;
            }
            copy(in, out, size);
            copyLine(in, out);
        }
    }

    /** Copies one CRLF-terminated line and returns it without the CRLF. */
    private static String copyLine(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(16);
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a chunked body");
            }
            out.write(b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("connection closed with " + left + " bytes of the body still to come");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** Decodes %XX escapes only: in a path, '+' is a plus, not a space. */
    static String decodePath(String target) {
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        ByteArrayOutputStream out = new ByteArrayOutputStream(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                out.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
