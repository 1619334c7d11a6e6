package io.eventlake.transforms.enrich;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, read a row at a time: comma-separated, fields optionally in double quotes (a quote inside written
 * twice, commas and line breaks allowed inside quotes), CRLF or LF line ends, a leading UTF-8 BOM ignored. An empty
 * unquoted field reads as null, a quoted one ({@code ""}) as the empty string.
 */
final class CsvReader {

    private final Reader in;
    private int peeked = -2;
    private long line = 1;

    CsvReader(Reader in) {
        this.in = in;
    }

    /** The line the next row starts on, for messages. */
    long line() {
        return line;
    }

    /** The next row, or null at the end; blank lines are skipped. */
    List<String> next() throws IOException {
        while (true) {
            int c = peek();
            if (c == -1) {
                return null;
            }
            if (c == '\uFEFF' && line == 1) {
                read();
                continue;
            }
            if (c == '\r' || c == '\n') {
                endOfLine();
                continue;
            }
            return row();
        }
    }

    private List<String> row() throws IOException {
        List<String> fields = new ArrayList<>();
        while (true) {
            fields.add(field());
            int c = read();
            if (c == ',') {
                continue;
            }
            if (c == '\r' || c == '\n') {
                unread(c);
                endOfLine();
            }
            return fields;
        }
    }

    private String field() throws IOException {
        int c = peek();
        if (c != '"') {
            StringBuilder sb = new StringBuilder();
            while ((c = peek()) != -1 && c != ',' && c != '\r' && c != '\n') {
                if (c == '"') {
                    throw new IllegalArgumentException("line " + line + ": a quote inside an unquoted field");
                }
                sb.append((char) read());
            }
            return sb.length() == 0 ? null : sb.toString();
        }
        read();
        long start = line;
        StringBuilder sb = new StringBuilder();
        while (true) {
            c = read();
            if (c == -1) {
                throw new IllegalArgumentException("line " + start + ": a quoted field is not closed");
            }
            if (c == '"') {
                if (peek() == '"') {
                    sb.append((char) read());
                    continue;
                }
                int after = peek();
                if (after != ',' && after != '\r' && after != '\n' && after != -1) {
                    throw new IllegalArgumentException("line " + line + ": text after a closing quote");
                }
                return sb.toString();
            }
            if (c == '\n') {
                line++;
            }
            sb.append((char) c);
        }
    }

    private void endOfLine() throws IOException {
        if (read() == '\r' && peek() == '\n') {
            read();
        }
        line++;
    }

    private int peek() throws IOException {
        if (peeked == -2) {
            peeked = in.read();
        }
        return peeked;
    }

    private int read() throws IOException {
        int c = peek();
        peeked = -2;
        return c;
    }

    private void unread(int c) {
        peeked = c;
    }
}
