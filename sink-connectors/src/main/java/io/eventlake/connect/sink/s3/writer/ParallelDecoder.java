package io.eventlake.connect.sink.s3.writer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.eventlake.connect.sink.s3.decode.JsonEnvelopes;

/**
 * {@code value.format=json}: decodes the byte values of a batch of records into Connect data, in chunks on a few
 * threads, keeping the batch's order. A value that does not decode becomes an {@link Undecodable} record, which the
 * writer reports (dead letter queue) with the original record and the reason.
 */
final class ParallelDecoder implements AutoCloseable {

    private static final int CHUNK = 256;

    private final ExecutorService pool;
    private final ThreadLocal<JsonEnvelopes> envelopes = ThreadLocal.withInitial(JsonEnvelopes::new);
    private final int threads;

    ParallelDecoder(int threads) {
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "eventlake-decode-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** A record whose value could not be decoded. */
    static final class Undecodable extends SinkRecord {
        private final DataException error;

        Undecodable(SinkRecord r, DataException error) {
            super(r.topic(), r.kafkaPartition(), r.keySchema(), r.key(), r.valueSchema(), r.value(), r.kafkaOffset(),
                r.timestamp(), r.timestampType(), r.headers(), r.originalTopic(), r.originalKafkaPartition(),
                r.originalKafkaOffset());
            this.error = error;
        }

        DataException error() {
            return error;
        }
    }

    List<SinkRecord> decode(Collection<SinkRecord> records) {
        SinkRecord[] in = records.toArray(new SinkRecord[0]);
        SinkRecord[] out = new SinkRecord[in.length];
        if (in.length <= CHUNK || threads == 1) {
            decodeRange(in, out, 0, in.length);
        } else {
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            for (int from = CHUNK; from < in.length; from += CHUNK) {
                int start = from;
                int end = Math.min(in.length, from + CHUNK);
                parts.add(CompletableFuture.runAsync(() -> decodeRange(in, out, start, end), pool));
            }
            // The first chunk on this thread: it would otherwise only wait.
            decodeRange(in, out, 0, Math.min(in.length, CHUNK));
            parts.forEach(CompletableFuture::join);
        }
        return java.util.Arrays.asList(out);
    }

    private void decodeRange(SinkRecord[] in, SinkRecord[] out, int from, int to) {
        JsonEnvelopes json = envelopes.get();
        for (int i = from; i < to; i++) {
            SinkRecord r = in[i];
            if (!(r.value() instanceof byte[] bytes)) {
                out[i] = r;
                continue;
            }
            try {
                SchemaAndValue v = json.decode(r.topic(), bytes);
                out[i] = r.newRecord(r.topic(), r.kafkaPartition(), r.keySchema(), r.key(), v.schema(), v.value(),
                    r.timestamp(), r.headers());
            } catch (DataException e) {
                out[i] = new Undecodable(r, new DataException("value.format=json: " + e.getMessage(), e));
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
