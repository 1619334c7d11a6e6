package io.eventlake.bench.fraud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class MetricsTest {

    /**
     * Scores 0.9 (fraud), 0.8 (legit), 0.7 (fraud), 0.6 (legit), 0.5 (legit). Pairs (fraud, legit): 2 x 3 = 6; the
     * fraud at 0.9 beats all 3, the one at 0.7 beats 2: AUC = 5/6. AP: precision at each fraud, 1/1 and 2/3, averaged:
     * (1 + 2/3) / 2 = 5/6.
     */
    @Test
    void aucAndAveragePrecisionOfAHandComputedExample() {
        double[] s = {0.5, 0.9, 0.6, 0.7, 0.8};
        boolean[] l = {false, true, false, true, false};
        assertEquals(5 / 6.0, Metrics.rocAuc(s, l), 1e-12);
        assertEquals(5 / 6.0, Metrics.averagePrecision(s, l), 1e-12);
    }

    /** Ties: one fraud and one legit at 0.5, one legit at 0.1: AUC = (1 + 0.5) / 2; AP = precision of the tie, 1/2. */
    @Test
    void tiesCountHalf() {
        double[] s = {0.5, 0.5, 0.1};
        boolean[] l = {true, false, false};
        assertEquals(0.75, Metrics.rocAuc(s, l), 1e-12);
        assertEquals(0.5, Metrics.averagePrecision(s, l), 1e-12);
    }

    @Test
    void precisionAndRecallOfTheFlag() {
        Metrics.Confusion c = Metrics.Confusion.of(new boolean[] {true, true, false, false},
            new boolean[] {true, false, true, false});
        assertEquals(0.5, c.precision());
        assertEquals(0.5, c.recall());
    }

    @Test
    void theEvaluationTablesCountPerPattern() {
        Evaluation e = new Evaluation();
        e.add(0.9, true, true, "burst", List.of("velocity"));
        e.add(0.1, false, true, "burst", List.of());
        e.add(0.8, true, true, "high_amount", List.of("amount_spike"));
        e.add(0.2, false, false, null, List.of());
        e.add(0.95, true, false, null, List.of("velocity"));
        assertEquals(2 / 3.0, e.confusion().precision(), 1e-12);
        assertEquals(2 / 3.0, e.confusion().recall(), 1e-12);
        String report = e.report();
        assertEquals(true, report.contains("| burst | 2 | 0.500 |"), report);
        assertEquals(true, report.contains("| velocity | 1 | 1 | 0.500 |"), report);
    }
}
