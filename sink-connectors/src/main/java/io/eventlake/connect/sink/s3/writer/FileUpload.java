package io.eventlake.connect.sink.s3.writer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.apache.kafka.connect.errors.ConnectException;

import io.eventlake.connect.sink.s3.parquet.FileBuffer;
import io.eventlake.connect.sink.s3.parquet.ParquetFile;
import io.eventlake.connect.sink.s3.storage.MultipartUpload;
import io.eventlake.connect.sink.s3.storage.ObjectStore;

/**
 * The way of one data file to S3. While the file is written, each full part goes out as a part of a multipart
 * upload, one after another on the upload pool, and its bytes are released from the memory budget once sent. When
 * the batch commits, {@link #finish} sends the rest: the whole file with one PUT if it never filled a part, else the
 * last part, then completes the upload. Both are conditional on the key being absent.
 */
final class FileUpload implements FileBuffer.PartSink {

    private final String key;
    private final ObjectStore store;
    private final Executor executor;
    private final MemoryBudget budget;
    private CompletableFuture<Void> parts = CompletableFuture.completedFuture(null);
    private volatile MultipartUpload upload;

    FileUpload(String key, ObjectStore store, Executor executor, MemoryBudget budget) {
        this.key = key;
        this.store = store;
        this.executor = executor;
        this.budget = budget;
    }

    String key() {
        return key;
    }

    @Override
    public void part(byte[] bytes, int length) {
        budget.hold(length);
        parts = parts.thenRunAsync(() -> {
            if (upload == null) {
                upload = store.startMultipart(key);
            }
            upload.uploadPart(bytes, length);
        }, executor).whenComplete((v, e) -> budget.release(length));
    }

    /** Sends what is left of the complete file and makes it visible. Returns the bytes of the whole file. */
    long finish(ParquetFile file) {
        FileBuffer buffer = file.bytes();
        try {
            parts.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof ConnectException c ? c : new ConnectException(e.getCause());
        }
        if (buffer.parts() == 0) {
            byte[] whole = buffer.tailBytes();
            store.putIfAbsent(key, () -> new java.io.ByteArrayInputStream(whole), whole.length);
        } else {
            byte[] last = buffer.tailBytes();
            upload.uploadPart(last, last.length);
            upload.completeIfAbsent();
        }
        return buffer.length();
    }

    /** Drops parts sent for a file that will not be committed. Best effort. */
    void abort() {
        try {
            parts.join();
        } catch (CompletionException e) {
            // The part that failed is why we abort.
        }
        MultipartUpload u = upload;
        if (u != null) {
            try {
                u.abort();
            } catch (ConnectException e) {
                // The next owner, or this task's next open of the partition, aborts uploads left behind.
            }
        }
    }
}
