package io.eventlake.connect.source.http.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The requests accepted and not yet answered, each with its acknowledgement timeout. Whoever settles a request (its
 * last acknowledgement, its timeout, or {@link #closeAll()}) answers it once; then its timeout is cancelled and its
 * buffer bytes released.
 */
final class OpenRequests {

    private final IngestBuffer buffer;
    private final long ackTimeoutMs;
    private final int retryAfterSeconds;
    private final Map<IngestRequest, ScheduledFuture<?>> open = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;

    OpenRequests(IngestBuffer buffer, long ackTimeoutMs, int retryAfterSeconds, ThreadFactory timerThread) {
        this.buffer = buffer;
        this.ackTimeoutMs = ackTimeoutMs;
        this.retryAfterSeconds = retryAfterSeconds;
        this.timer = new ScheduledThreadPoolExecutor(1, timerThread);
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Queues the request for the task; it owns its reserved buffer bytes from now on. */
    void admit(IngestRequest request) {
        request.onAnswered(this::settled);
        open.put(request, timer.schedule(() -> timedOut(request), ackTimeoutMs, TimeUnit.MILLISECONDS));
        if (request.answered()) {
            // Settled before it was registered (an ack timeout of a millisecond).
            settled(request);
        }
        if (!buffer.submit(request)) {
            request.answer(Response.unavailable("the task is stopping", retryAfterSeconds));
        }
    }

    private void settled(IngestRequest request) {
        ScheduledFuture<?> timeout = open.remove(request);
        if (timeout != null) {
            timeout.cancel(false);
            buffer.release(request.bytes());
        }
    }

    private void timedOut(IngestRequest request) {
        if (buffer.withdraw(request)) {
            request.answer(Response.unavailable("Connect did not take the request within " + ackTimeoutMs
                + " ms (http.ack.timeout.ms); the connector may be paused", retryAfterSeconds));
        } else {
            request.answer(Response.unknown(504, "Kafka did not acknowledge the request's events within "
                + ackTimeoutMs + " ms (http.ack.timeout.ms); they may still be stored, so a retry may store them "
                + "twice"));
        }
    }

    int size() {
        return open.size();
    }

    /** Requests handed to Connect and not yet acknowledged. */
    int awaitingAck() {
        return Math.max(0, open.size() - buffer.queued());
    }

    /**
     * Refuses further requests and answers every open one: 503 for those still queued (nothing of them reached
     * Kafka), 500 for those handed to Connect but not acknowledged (their outcome is unknown).
     * @return how many were answered 503 and 500
     */
    int[] closeAll() {
        List<IngestRequest> withdrawn = buffer.close();
        for (IngestRequest r : withdrawn) {
            r.answer(Response.unavailable("the task stopped (rebalance, restart, pause or deletion) before it took "
                + "the request; nothing of it was stored", retryAfterSeconds));
        }
        int unknown = 0;
        for (IngestRequest r : new ArrayList<>(open.keySet())) {
            if (r.answer(Response.unknown(500, "the task stopped before Kafka acknowledged the request's events; "
                + "they may or may not be stored"))) {
                unknown++;
            }
        }
        timer.shutdownNow();
        return new int[] {withdrawn.size(), unknown};
    }
}
