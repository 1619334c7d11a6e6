package io.eventlake.local.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fraud report's figures on a table small enough to compute them by hand. */
class FraudReportTest {

    @TempDir
    Path lake;

    /**
     * Seven payments: frauds at scores 0.9 (flagged), 0.7 (flagged), 0.3 (not); legitimate at 0.8 (flagged), 0.3
     * (a tie with a fraud), 0.2, 0.1.
     */
    private LakeQuery lakeWithSevenPayments() throws Exception {
        Path dir = lake.resolve("transactions/year=2026/month=12/day=01");
        Files.createDirectories(dir);
        String rows = "SELECT * FROM (VALUES "
            + "('t1', TIMESTAMPTZ '2026-12-01 10:00:00+00', 0.9, true,  true,  'burst',        ['velocity']),"
            + "('t2', TIMESTAMPTZ '2026-12-01 10:01:00+00', 0.8, false, true,  NULL,           ['amount_spike']),"
            + "('t3', TIMESTAMPTZ '2026-12-01 10:02:00+00', 0.7, true,  true,  'card_testing', ['card_testing', "
            + "'velocity']),"
            + "('t4', TIMESTAMPTZ '2026-12-01 10:03:00+00', 0.3, true,  false, 'burst',        []::VARCHAR[]),"
            + "('t5', TIMESTAMPTZ '2026-12-01 10:04:00+00', 0.2, false, false, NULL,           []::VARCHAR[]),"
            + "('t6', TIMESTAMPTZ '2026-12-01 10:05:00+00', 0.1, false, false, NULL,           []::VARCHAR[]),"
            + "('t7', TIMESTAMPTZ '2026-12-01 10:06:00+00', 0.3, false, false, NULL,           []::VARCHAR[])"
            + ") AS t(transaction_id, event_time, fraud_score, fraud_label, fraud_flagged, fraud_pattern, "
            + "fraud_reasons)";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("COPY (" + rows + ") TO '" + dir.resolve("f.parquet") + "' (FORMAT PARQUET)");
        }
        return new LakeQuery(lake);
    }

    @Test
    void recallPrecisionAucAndAveragePrecisionAsComputedByHand() throws Exception {
        try (LakeQuery q = lakeWithSevenPayments()) {
            FraudReport report = new FraudReport(q, "transactions");
            assertArrayEquals(new long[] {7, 7, 3, 3}, report.counts());
            List<FraudReport.Slice> slices = report.slices();
            assertEquals(List.of("all", "burst", "card_testing"), slices.stream().map(FraudReport.Slice::name).toList());
            FraudReport.Slice all = slices.get(0);
            assertEquals(2.0 / 3, all.recall(), 1e-12);
            assertEquals(2.0 / 3, all.precision(), 1e-12);
            // 12 fraud/legitimate pairs: 4 + 3 + (2 + a tie counted a half) ranked right.
            assertEquals(9.5 / 12, all.rocAuc(), 1e-12);
            // Steps at 0.9 (precision 1), 0.7 (2/3) and 0.3 (3/5), each a third of the recall.
            assertEquals((1 + 2.0 / 3 + 3.0 / 5) / 3, all.averagePrecision(), 1e-12);
            FraudReport.Slice burst = slices.get(1);
            assertEquals(0.5, burst.recall(), 1e-12);
            assertEquals(6.5 / 8, burst.rocAuc(), 1e-12);
            assertEquals((1 + 0.5) / 2, burst.averagePrecision(), 1e-12);
            assertEquals(List.of(new FraudReport.RuleCount("amount_spike", 0, 1),
                new FraudReport.RuleCount("card_testing", 1, 0), new FraudReport.RuleCount("velocity", 2, 0)),
                report.rules());
            String md = report.markdown();
            assertTrue(md.contains("| all | 3 | 2 | 0.667 | 0.667 | 0.792 | 0.756 |"), md);
        }
    }

    /**
     * Payments on day 1 (a fraud missed, a legitimate one flagged), day 2 (a fraud caught), day 5 and day 7 (a fraud
     * caught, a fraud missed: both in days 3-7, which ends 6 days 23 h after the first payment), day 10 (nothing
     * flagged) and day 40: each stretch counts its own, stretches without payments (15-28) are left out.
     */
    @Test
    void recallAndPrecisionByDayOfTheStream() throws Exception {
        Path dir = lake.resolve("transactions/year=2026/month=12/day=01");
        Files.createDirectories(dir);
        String rows = "SELECT * FROM (VALUES "
            + "('a', TIMESTAMPTZ '2026-12-01 10:00:00+00', 0.1, true,  false),"
            + "('b', TIMESTAMPTZ '2026-12-02 09:59:59+00', 0.9, false, true),"
            + "('c', TIMESTAMPTZ '2026-12-02 10:00:00+00', 0.9, true,  true),"
            + "('d', TIMESTAMPTZ '2026-12-05 10:00:00+00', 0.9, true,  true),"
            + "('e', TIMESTAMPTZ '2026-12-08 09:00:00+00', 0.2, true,  false),"
            + "('f', TIMESTAMPTZ '2026-12-10 10:00:00+00', 0.2, false, false),"
            + "('g', TIMESTAMPTZ '2027-01-09 10:00:00+00', 0.9, true,  true)"
            + ") AS t(transaction_id, event_time, fraud_score, fraud_label, fraud_flagged)";
        rows = "SELECT *, NULL::VARCHAR AS fraud_pattern, []::VARCHAR[] AS fraud_reasons FROM (" + rows + ")";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("COPY (" + rows + ") TO '" + dir.resolve("f.parquet") + "' (FORMAT PARQUET)");
        }
        try (LakeQuery q = new LakeQuery(lake)) {
            FraudReport report = new FraudReport(q, "transactions");
            assertEquals(List.of(new FraudReport.Stretch("1", 2, 1, 0, 1), new FraudReport.Stretch("2", 1, 1, 1, 1),
                new FraudReport.Stretch("3-7", 2, 2, 1, 1), new FraudReport.Stretch("8-14", 1, 0, 0, 0),
                new FraudReport.Stretch("29 and later", 1, 1, 1, 1)), report.byStreamDay());
            assertTrue(report.markdown().contains("| 3-7 | 2 | 2 | 1 | 0.500 | 1 | 1.000 |"), report.markdown());
        }
    }
}
