package io.eventlake.connect.source.http.server;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.eventlake.connect.source.http.event.Event;

/**
 * One accepted POST on its way through the task: its events wait in the {@link IngestBuffer}, are handed to Connect
 * by {@code poll()}, and are acknowledged one by one through {@code commitRecord}. It is answered exactly once: 200
 * when every event has been acknowledged as stored, otherwise an error (a timeout, the task stopping, events dropped
 * by the pipeline). The first answer wins; later acknowledgements change nothing.
 */
public final class IngestRequest {

    private final String topic;
    private final List<Event> events;
    private final long bytes;
    private final boolean acknowledgeDropped;
    private final Consumer<Response> responder;
    private final AtomicInteger outstanding;
    private final AtomicInteger notStored = new AtomicInteger();
    private final AtomicBoolean answered = new AtomicBoolean();
    private volatile Consumer<IngestRequest> onAnswered = r -> { };

    /**
     * @param bytes the buffer bytes reserved for the request, released when it is answered
     * @param acknowledgeDropped whether events the pipeline dropped (a filtering transform, a failure tolerated under
     *        errors.tolerance=all) still allow a 200
     * @param responder writes the answer to the client; called once
     */
    public IngestRequest(String topic, List<Event> events, long bytes, boolean acknowledgeDropped,
                         Consumer<Response> responder) {
        this.topic = topic;
        this.events = events;
        this.bytes = bytes;
        this.acknowledgeDropped = acknowledgeDropped;
        this.responder = responder;
        this.outstanding = new AtomicInteger(events.size());
    }

    void onAnswered(Consumer<IngestRequest> callback) {
        this.onAnswered = callback;
    }

    public String topic() {
        return topic;
    }

    public List<Event> events() {
        return events;
    }

    public int size() {
        return events.size();
    }

    long bytes() {
        return bytes;
    }

    /**
     * One of the request's records has been committed by the worker.
     * @param stored true when Kafka acknowledged it (with exactly-once support, its transaction committed); false
     *        when the worker dropped it (commitRecord with null metadata)
     */
    public void recordCommitted(boolean stored) {
        if (!stored) {
            notStored.incrementAndGet();
        }
        if (outstanding.decrementAndGet() == 0) {
            int dropped = notStored.get();
            if (dropped == 0) {
                answer(Response.accepted(size()));
            } else if (acknowledgeDropped) {
                answer(Response.acceptedWithDropped(size(), dropped));
            } else {
                answer(Response.partial(dropped + " of the request's " + size() + " events were not written to "
                    + "Kafka: dropped by a transform or converter, or failed and skipped under "
                    + "errors.tolerance=all; the other " + (size() - dropped) + " were written, so a retry writes "
                    + "them again (set event.dropped.policy=acknowledge if dropping is intended)",
                    size() - dropped, dropped));
            }
        }
    }

    /**
     * Answers the request unless it has been answered already.
     * @return true when this call answered it
     */
    public boolean answer(Response response) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        onAnswered.accept(this);
        responder.accept(response);
        return true;
    }

    public boolean answered() {
        return answered.get();
    }
}
