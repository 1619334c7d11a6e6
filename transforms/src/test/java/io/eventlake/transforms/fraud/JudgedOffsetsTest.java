package io.eventlake.transforms.fraud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class JudgedOffsetsTest {

    private static Verdict verdict(double score, int fired, boolean flagged) {
        Verdict v = new Verdict(new ReasonLists(List.of("a", "b", "c")));
        v.score = score;
        v.fired = fired;
        v.flagged = flagged;
        return v;
    }

    /**
     * 9,000 verdicts at even offsets into a ring of 5,000 (grown from its first 1,024, then wrapped): the last 5,000
     * come back with their own score, rules and flag; older ones, and odd offsets (never delivered: a compacted or
     * transactional topic has gaps), are forgotten; offsets above the watermark are new.
     */
    @Test
    void theLastVerdictsOfAPartitionComeBackByOffsetAfterTheRingGrowsAndWraps() {
        JudgedOffsets judged = new JudgedOffsets(5_000);
        for (int i = 0; i < 9_000; i++) {
            judged.judged("t", 0, 2L * i, verdict(i / 10_000.0, i % 8, i % 3 == 0));
        }
        assertEquals(5_000, judged.size());
        for (int i = 4_000; i < 9_000; i++) {
            assertEquals(JudgedOffsets.Seen.KNOWN, judged.seen("t", 0, 2L * i), "offset " + 2 * i);
            assertEquals(i / 10_000.0, judged.score());
            assertEquals(i % 8, judged.fired());
            assertEquals(i % 3 == 0, judged.flagged());
            assertEquals(JudgedOffsets.Seen.FORGOTTEN, judged.seen("t", 0, 2L * i + 1 - 2));
        }
        assertEquals(JudgedOffsets.Seen.FORGOTTEN, judged.seen("t", 0, 0));
        assertEquals(JudgedOffsets.Seen.FORGOTTEN, judged.seen("t", 0, 7_998));
        assertEquals(JudgedOffsets.Seen.NEW, judged.seen("t", 0, 17_999));
        assertEquals(JudgedOffsets.Seen.NEW, judged.seen("t", 1, 0), "another partition");
        assertEquals(JudgedOffsets.Seen.NEW, judged.seen("u", 0, 0), "another topic");
    }

    @Test
    void aFlaggedVerdictKeepsItsRulesApartFromItsFlag() {
        JudgedOffsets judged = new JudgedOffsets(10);
        judged.judged("t", 0, 7, verdict(0.9, 0b101, true));
        assertEquals(JudgedOffsets.Seen.KNOWN, judged.seen("t", 0, 7));
        assertTrue(judged.flagged());
        assertEquals(0b101, judged.fired());
        judged.judged("t", 0, 8, verdict(0.1, 0b101, false));
        judged.seen("t", 0, 8);
        assertFalse(judged.flagged());
        judged.clear();
        assertEquals(JudgedOffsets.Seen.NEW, judged.seen("t", 0, 7));
    }
}
