package io.eventlake.connect.source.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventlake.connect.source.http.event.Event;

class IngestBufferTest {

    static IngestRequest request(int events) {
        return new IngestRequest("t", Collections.nCopies(events, new Event(null, "v", 0)), 0, false, r -> { });
    }

    @Test
    void theByteBudgetIsNeverExceeded() {
        IngestBuffer buffer = new IngestBuffer(100);
        assertTrue(buffer.reserve(60));
        assertFalse(buffer.reserve(41));
        assertTrue(buffer.reserve(40));
        buffer.release(60);
        assertEquals(40, buffer.bytes());
        assertTrue(buffer.reserve(60));
    }

    @Test
    void takeHandsOverWholeRequestsUpToTheEventLimit() throws InterruptedException {
        IngestBuffer buffer = new IngestBuffer(100);
        IngestRequest a = request(3);
        IngestRequest b = request(3);
        IngestRequest c = request(3);
        buffer.submit(a);
        buffer.submit(b);
        buffer.submit(c);
        assertEquals(List.of(a, b), buffer.take(7, 0));
        assertEquals(List.of(c), buffer.take(7, 0));
        assertEquals(List.of(), buffer.take(7, 0));
    }

    @Test
    void aRequestLargerThanTheLimitStillGoesAlone() throws InterruptedException {
        IngestBuffer buffer = new IngestBuffer(100);
        IngestRequest big = request(50);
        buffer.submit(big);
        buffer.submit(request(1));
        assertEquals(List.of(big), buffer.take(10, 0));
    }

    @Test
    void aWithdrawnRequestIsNeverHandedOverAndAHandedOneCannotBeWithdrawn() throws InterruptedException {
        IngestBuffer buffer = new IngestBuffer(100);
        IngestRequest a = request(1);
        IngestRequest b = request(1);
        buffer.submit(a);
        buffer.submit(b);
        assertTrue(buffer.withdraw(a));
        assertEquals(List.of(b), buffer.take(10, 0));
        assertFalse(buffer.withdraw(b));
    }

    @Test
    void closingWithdrawsTheQueueAndRefusesMore() throws InterruptedException {
        IngestBuffer buffer = new IngestBuffer(100);
        IngestRequest a = request(1);
        buffer.submit(a);
        assertEquals(List.of(a), buffer.close());
        assertFalse(buffer.submit(request(1)));
        assertFalse(buffer.reserve(1));
        assertTrue(buffer.closed());
        assertEquals(List.of(), buffer.take(10, 0));
    }

    @Test
    void takeWakesUpForARequestSubmittedWhileItWaits() throws Exception {
        IngestBuffer buffer = new IngestBuffer(100);
        IngestRequest a = request(1);
        List<IngestRequest> got = new ArrayList<>();
        Thread poller = new Thread(() -> {
            try {
                got.addAll(buffer.take(10, 60_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        poller.start();
        // Submit only once the poller waits in take (the queue was empty when it started), so the wake-up is tested.
        long deadline = System.currentTimeMillis() + 30_000;
        while (poller.getState() != Thread.State.TIMED_WAITING && poller.getState() != Thread.State.WAITING) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the poller never waited: " + poller.getState());
            }
            Thread.sleep(1);
        }
        buffer.submit(a);
        poller.join(60_000);
        assertEquals(List.of(a), got);
    }
}
