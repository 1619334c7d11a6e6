package io.eventlake.connect.source.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventlake.connect.source.http.event.Event;

class IngestRequestTest {

    private final List<Response> answers = new ArrayList<>();

    private IngestRequest request(int events, boolean acknowledgeDropped) {
        return new IngestRequest("t", Collections.nCopies(events, new Event(null, "v", 0)), 10, acknowledgeDropped,
            answers::add);
    }

    @Test
    void itIsAnswered200OnlyWhenTheLastEventIsStored() {
        IngestRequest r = request(3, false);
        r.recordCommitted(true);
        r.recordCommitted(true);
        assertEquals(List.of(), answers);
        r.recordCommitted(true);
        assertEquals(1, answers.size());
        assertEquals(200, answers.get(0).status());
        assertEquals("{\"accepted\":3}\n", answers.get(0).body());
    }

    @Test
    void aDroppedEventFailsTheRequestWithTheCounts() {
        IngestRequest r = request(3, false);
        r.recordCommitted(true);
        r.recordCommitted(false);
        r.recordCommitted(true);
        assertEquals(500, answers.get(0).status());
        assertTrue(answers.get(0).body().contains("\"stored\":\"partial\",\"written\":2,\"not_written\":1"),
            answers.get(0).body());
    }

    @Test
    void aDroppedEventIsAcknowledgedWhenThePolicySaysSo() {
        IngestRequest r = request(2, true);
        r.recordCommitted(false);
        r.recordCommitted(true);
        assertEquals(200, answers.get(0).status());
        assertEquals("{\"accepted\":2,\"dropped\":1}\n", answers.get(0).body());
    }

    @Test
    void theFirstAnswerWinsAndLateAcknowledgementsChangeNothing() {
        IngestRequest r = request(1, false);
        assertTrue(r.answer(Response.unknown(500, "stopped")));
        r.recordCommitted(true);
        assertFalse(r.answer(Response.accepted(1)));
        assertEquals(1, answers.size());
        assertEquals(500, answers.get(0).status());
    }

    @Test
    void answeringReleasesOnce() {
        IngestRequest r = request(1, false);
        List<IngestRequest> settled = new ArrayList<>();
        r.onAnswered(settled::add);
        r.answer(Response.accepted(1));
        r.answer(Response.accepted(1));
        assertEquals(List.of(r), settled);
    }
}
