package io.eventlake.connect.source.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.eventlake.common.Version;
import io.eventlake.connect.source.http.event.BodyParser;
import io.eventlake.connect.source.http.event.Event;
import io.eventlake.connect.source.http.server.IngestBuffer;
import io.eventlake.connect.source.http.server.IngestRequest;
import io.eventlake.connect.source.http.server.IngestServer;

/**
 * Serves one HTTP(S) port and hands the requests' events to Connect. A request is answered 200 only once every one of
 * its events has come back through {@link #commitRecord(SourceRecord, RecordMetadata)} with metadata; here is why
 * that means "stored in Kafka", as the Kafka 4.3 runtime calls it:
 * <ul>
 * <li>Without exactly-once support ({@code WorkerSourceTask}), {@code commitRecord(record, metadata)} is called from
 * the producer's send callback, after the broker acknowledged the record with the worker's {@code acks=all}
 * (overriding it per connector is refused by the connector's validation). Records the transforms or converters drop,
 * and records whose send failed under {@code errors.tolerance=all}, come back with null metadata; a send that failed
 * otherwise never comes back, and fails the task.</li>
 * <li>With exactly-once support ({@code ExactlyOnceWorkerSourceTask}), the records of a poll are sent in a
 * transaction, and {@code commitRecord} is called for them only after {@code Producer.commitTransaction()} returned,
 * so their transaction has committed. If the commit fails, the task fails and no record of the transaction comes
 * back. A poll hands over whole requests, so with the default {@code transaction.boundary=poll} a request's events are
 * committed in one transaction (unless a send is being retried when the task stops: Connect then commits what it
 * sent, and the request is answered 500 by {@link #stop()}); nothing replays them (the task has no source to re-read), so each is stored once.</li>
 * <li>{@link #commit()} is not used: it only says that offsets were flushed, which without exactly-once support lags
 * behind the records.</li>
 * </ul>
 * Each record carries a distinct source offset ({@code {"events": n}} under the partition {@code {"task": i}}): the
 * exactly-once worker collects the records of a transaction in a map keyed by record equality, and two identical
 * events would otherwise be committed, and reported back, as one.
 * <p>
 * The task never answers for events it did not see acknowledged: when it stops (rebalance, restart, pause timeout,
 * deletion, a failed producer), {@link #stop()} answers requests still queued 503 (nothing of them was written) and
 * requests handed over but not acknowledged 500 ({@code "stored": "unknown"}). Connect 4.3 calls {@code stop()} on the
 * task's thread after its last transaction or offset commit, so anything that was stored had been acknowledged first.
 */
public class HttpIngestSourceTask extends SourceTask {

    private static final Logger log = LoggerFactory.getLogger(HttpIngestSourceTask.class);
    static final String TASK_PARTITION = "task";
    static final String EVENTS_OFFSET = "events";
    /** How long one poll waits for a request: short, so a stopping worker is not held up. */
    private static final long POLL_WAIT_MS = 100;

    private IngestBuffer buffer;
    private IngestServer server;
    private Schema keySchema;
    private Schema valueSchema;
    private int pollMaxEvents;
    private Map<String, Object> partition;
    private long events;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        HttpIngestConfig config = HttpIngestConfig.forTask(props);
        int index = config.taskIndex();
        BodyParser parser = new BodyParser(config.eventReader());
        keySchema = config.keyed() ? Schema.STRING_SCHEMA : null;
        valueSchema = config.valueSchema();
        pollMaxEvents = config.pollMaxEvents();
        partition = Collections.singletonMap(TASK_PARTITION, index);
        events = committedEvents(partition);
        buffer = new IngestBuffer(config.getLong(HttpIngestConfig.BUFFER_MAX_BYTES_CONFIG));
        String name = props.getOrDefault("name", "http-ingest") + "-" + index;
        server = new IngestServer(config.serverSettings(index, name), parser, buffer).start();
    }

    /** Events this task slot has handed over before, so its offsets keep counting up across restarts. */
    private long committedEvents(Map<String, Object> partition) {
        if (context == null || context.offsetStorageReader() == null) {
            return 0;
        }
        Map<String, Object> offset = context.offsetStorageReader().offset(partition);
        return offset != null && offset.get(EVENTS_OFFSET) instanceof Number n ? n.longValue() : 0;
    }

    /** The port this task listens on. */
    int port() {
        return server.port();
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        List<IngestRequest> taken = buffer.take(pollMaxEvents, POLL_WAIT_MS);
        if (taken.isEmpty()) {
            return null;
        }
        int size = 0;
        for (IngestRequest r : taken) {
            size += r.size();
        }
        List<SourceRecord> records = new ArrayList<>(size);
        for (IngestRequest r : taken) {
            for (Event e : r.events()) {
                records.add(new IngestRecord(r, partition, Collections.singletonMap(EVENTS_OFFSET, ++events),
                    r.topic(), keySchema, e.key(), valueSchema, e.value(), e.timestamp()));
            }
        }
        return records;
    }

    @Override
    public void commitRecord(SourceRecord record, RecordMetadata metadata) {
        if (record instanceof IngestRecord r) {
            // acks=0 would give metadata without an offset: acknowledged by nobody.
            r.request().recordCommitted(metadata != null && metadata.hasOffset());
        } else {
            throw new ConnectException("commitRecord got a record this task did not produce: " + record);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
        log.info("HTTP ingest task stopped");
    }
}
