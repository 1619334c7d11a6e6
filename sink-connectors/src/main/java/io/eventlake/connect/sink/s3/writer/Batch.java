package io.eventlake.connect.sink.s3.writer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import io.eventlake.connect.sink.s3.parquet.ParquetFile;

/**
 * The records of one Kafka partition since its last sealed batch: one open file per lake folder, files already
 * closed (a schema change, a full file), the offsets handled (written, or sent to the dead letter queue), and the
 * event-time span. Only the task thread touches it, under the partition writer's lock.
 */
final class Batch {

    final Map<String, ParquetFile> open = new LinkedHashMap<>();
    final List<ParquetFile> closed = new ArrayList<>();
    final Map<String, FileUpload> uploads = new LinkedHashMap<>();
    final List<Future<Void>> reported = new ArrayList<>();
    long start = -1;
    long last = -1;
    long handled;
    long firstBufferedAtMs;
    long minTimeMs = Long.MAX_VALUE;
    long maxTimeMs = Long.MIN_VALUE;

    boolean isEmpty() {
        return start < 0;
    }

    void handled(long offset, long nowMs) {
        if (start < 0) {
            start = offset;
            firstBufferedAtMs = nowMs;
        }
        last = offset;
        handled++;
    }

    void time(long timeMs) {
        minTimeMs = Math.min(minTimeMs, timeMs);
        maxTimeMs = Math.max(maxTimeMs, timeMs);
    }

    long bufferedBytes() {
        long bytes = 0;
        for (ParquetFile f : open.values()) {
            bytes += f.bufferedBytes();
        }
        for (ParquetFile f : closed) {
            bytes += f.bufferedBytes();
        }
        return bytes;
    }

    /** Drops every file (and the parts already sent), e.g. when the partition is revoked or its commit failed. */
    void discard() {
        for (ParquetFile f : open.values()) {
            f.discard();
        }
        for (ParquetFile f : closed) {
            f.discard();
        }
        for (FileUpload u : uploads.values()) {
            u.abort();
        }
        open.clear();
        closed.clear();
        uploads.clear();
    }
}
