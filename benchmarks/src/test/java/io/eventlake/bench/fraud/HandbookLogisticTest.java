package io.eventlake.bench.fraud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The handbook's trained baseline: its features see only the past, and its fit learns what the labels say. */
class HandbookLogisticTest {

    private static final long DAY = 86_400_000L;
    /** 2026-01-01 is a Thursday. */
    private static final long START = 1_767_225_600_000L;

    @Test
    void customerWindowsIncludeTheTransactionAndTerminalWindowsEndOneDelayBefore() {
        List<HandbookSimulator.Transaction> txs = List.of(
            new HandbookSimulator.Transaction(1, START + 10 * 3_600_000L, 1, 7, 10, 2),
            new HandbookSimulator.Transaction(2, START + DAY / 2 + 10 * 3_600_000L, 1, 7, 30, 0),
            new HandbookSimulator.Transaction(3, START + 3 * DAY + 2 * 3_600_000L, 1, 7, 50, 0));
        double[][] x = HandbookLogistic.features(txs, DAY);
        // The second: two transactions of the customer in its last day, both counted; none of the terminal known yet.
        assertEquals(2, x[1][3]);
        assertEquals(20, x[1][4], 1e-9);
        assertEquals(0, x[1][9]);
        // The third, at 2 h (night) three days later: alone in its day, all three in its week.
        assertEquals(1, x[2][3]);
        assertEquals(50, x[2][4], 1e-9);
        assertEquals(3, x[2][5]);
        assertEquals(30, x[2][6], 1e-9);
        assertEquals(1, x[2][2]);
        // The terminal's week that ends a day before it holds the first two, one of them fraud.
        assertEquals(2, x[2][11]);
        assertEquals(0.5, x[2][12], 1e-9);
        // Its day that ends a day before it (days 1-2) holds neither.
        assertEquals(0, x[2][9]);
    }

    @Test
    void theFitRanksWhatTheLabelsSayAtTheTop() {
        Random r = new Random(7);
        List<HandbookSimulator.Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            double amount = 300 * r.nextDouble();
            txs.add(new HandbookSimulator.Transaction(i, START + i * 60_000L, r.nextInt(500), r.nextInt(1000), amount,
                amount > 220 && r.nextDouble() < 0.9 ? 1 : 0));
        }
        double[][] x = HandbookLogistic.features(txs, 7 * DAY);
        boolean[] y = new boolean[txs.size()];
        boolean[] train = new boolean[txs.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = txs.get(i).fraud();
            train[i] = i % 2 == 0;
        }
        HandbookLogistic.Model model = HandbookLogistic.fit(x, y, train);
        double[] scores = Arrays.stream(x).mapToDouble(model::score).toArray();
        assertTrue(model.beta()[1] > 1, "the amount's weight: " + model.describe());
        assertTrue(Metrics.averagePrecision(scores, y) > 0.85, "average precision " + Metrics.averagePrecision(scores, y));
    }
}
