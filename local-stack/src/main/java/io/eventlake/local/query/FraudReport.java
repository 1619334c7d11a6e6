package io.eventlake.local.query;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The quality of the fraud flags as they landed: every figure is one SQL query that DuckDB runs over the lake's
 * {@code transactions} table (the generator's ground truth {@code fraud_label} and {@code fraud_pattern} against the
 * transform's {@code fraud_flagged}, {@code fraud_score} and {@code fraud_reasons}), so it reads what a user reads.
 *
 * <p>Per slice (all frauds, then each pattern against all legitimate payments): recall and precision of the flag,
 * ROC AUC of the score (ties take their average rank) and average precision (the area under the step
 * precision-recall curve, one step per distinct score, as scikit-learn computes it). Per rule: how often it fired on
 * frauds and on legitimate payments.
 */
public final class FraudReport {

    /** The figures of one slice. */
    public record Slice(String name, long frauds, long caught, long flagged, double recall, double precision,
                        double rocAuc, double averagePrecision) {
    }

    /** One rule: how often it fired on frauds and on legitimate payments. */
    public record RuleCount(String rule, long onFrauds, long onLegitimate) {
    }

    /** Recall and precision of the flag over one stretch of the stream's event time. */
    public record Stretch(String days, long payments, long frauds, long caught, long flagged) {

        public double recall() {
            return frauds == 0 ? Double.NaN : (double) caught / frauds;
        }

        public double precision() {
            return flagged == 0 ? Double.NaN : (double) caught / flagged;
        }
    }

    /** The stretches of {@link #byStreamDay()}: first day of each (counted from 1), the last open-ended. */
    private static final int[] STRETCH_STARTS = {1, 2, 3, 8, 15, 29};

    private final LakeQuery lake;
    private final String table;

    public FraudReport(LakeQuery lake, String table) {
        this.lake = lake;
        this.table = LakeQuery.quote(table);
    }

    /** Rows, distinct transaction ids, frauds and flagged payments of the table. */
    public long[] counts() throws SQLException {
        Object[] r = lake.rows("SELECT count(*), count(DISTINCT transaction_id), count_if(fraud_label), "
            + "count_if(fraud_flagged) FROM " + table).get(0);
        return new long[] {num(r[0]), num(r[1]), num(r[2]), num(r[3])};
    }

    /** Event time span of the table: first and last event time, as text. */
    public String[] span() throws SQLException {
        Object[] r = lake.rows("SELECT min(event_time)::VARCHAR, max(event_time)::VARCHAR FROM " + table).get(0);
        return new String[] {String.valueOf(r[0]), String.valueOf(r[1])};
    }

    /** All frauds, then each pattern that occurs. */
    public List<Slice> slices() throws SQLException {
        List<Slice> slices = new ArrayList<>();
        slices.add(slice("all", "TRUE"));
        for (Object[] p : lake.rows("SELECT DISTINCT fraud_pattern FROM " + table
            + " WHERE fraud_label AND fraud_pattern IS NOT NULL ORDER BY 1")) {
            String pattern = (String) p[0];
            slices.add(slice(pattern, "(NOT fraud_label OR fraud_pattern = '" + pattern.replace("'", "''") + "')"));
        }
        return slices;
    }

    private Slice slice(String name, String where) throws SQLException {
        String s = "s AS (SELECT fraud_score AS sc, fraud_label AS y, fraud_flagged AS f FROM " + table
            + " WHERE fraud_label IS NOT NULL AND fraud_score IS NOT NULL AND " + where + ")";
        Object[] c = lake.rows("WITH " + s + " SELECT count_if(y), count_if(y AND f), count_if(f) FROM s").get(0);
        Object[] auc = lake.rows("WITH " + s + ", r AS (SELECT y, rank() OVER (ORDER BY sc) "
            + "+ (count(*) OVER (PARTITION BY sc) - 1) / 2.0 AS rk FROM s) "
            + "SELECT (sum(CASE WHEN y THEN rk ELSE 0 END) - count_if(y) * (count_if(y) + 1) / 2.0) "
            + "/ (count_if(y)::DOUBLE * count_if(NOT y)) FROM r").get(0);
        Object[] ap = lake.rows("WITH " + s + ", g AS (SELECT sc, count_if(y) AS pos, count(*) AS n FROM s GROUP BY sc), "
            + "c AS (SELECT pos, sum(pos) OVER (ORDER BY sc DESC) AS cp, sum(n) OVER (ORDER BY sc DESC) AS cn FROM g) "
            + "SELECT sum(pos * cp / cn) / sum(pos) FROM c").get(0);
        long frauds = num(c[0]);
        long caught = num(c[1]);
        long flagged = num(c[2]);
        return new Slice(name, frauds, caught, flagged, frauds == 0 ? Double.NaN : (double) caught / frauds,
            flagged == 0 ? Double.NaN : (double) caught / flagged, dbl(auc[0]), dbl(ap[0]));
    }

    /** Each rule that fired, with its counts on frauds and legitimate payments. */
    public List<RuleCount> rules() throws SQLException {
        List<RuleCount> rules = new ArrayList<>();
        for (Object[] r : lake.rows("SELECT reason, count_if(y), count_if(NOT y) FROM (SELECT unnest(fraud_reasons) "
            + "AS reason, fraud_label AS y FROM " + table + " WHERE fraud_label IS NOT NULL) GROUP BY reason ORDER BY 1")) {
            rules.add(new RuleCount((String) r[0], num(r[1]), num(r[2])));
        }
        return rules;
    }

    /**
     * Recall and precision by how far into the stream a payment came: its event time's day counted from the table's
     * first event (day 1, day 2, days 3-7, 8-14, 15-28, 29 and later; stretches without payments left out). A fresh
     * deployment judges its first days with little history per card and few fraud reports (they come days late), so
     * its quality there is not that of a deployment that has run for weeks; this shows both.
     */
    public List<Stretch> byStreamDay() throws SQLException {
        StringBuilder bucket = new StringBuilder("CASE");
        for (int i = STRETCH_STARTS.length - 1; i > 0; i--) {
            bucket.append(" WHEN d >= ").append(STRETCH_STARTS[i] - 1).append(" THEN ").append(i);
        }
        bucket.append(" ELSE 0 END");
        String sql = "WITH t AS (SELECT fraud_label AS y, fraud_flagged AS f, floor(epoch(event_time - min(event_time) "
            + "OVER ()) / 86400) AS d FROM " + table + " WHERE fraud_label IS NOT NULL AND fraud_flagged IS NOT NULL) "
            + "SELECT " + bucket + " AS b, count(*), count_if(y), count_if(y AND f), count_if(f) FROM t GROUP BY b "
            + "ORDER BY b";
        List<Stretch> stretches = new ArrayList<>();
        for (Object[] r : lake.rows(sql)) {
            int b = (int) num(r[0]);
            int from = STRETCH_STARTS[b];
            String days = b == STRETCH_STARTS.length - 1 ? from + " and later"
                : STRETCH_STARTS[b + 1] - 1 == from ? String.valueOf(from) : from + "-" + (STRETCH_STARTS[b + 1] - 1);
            stretches.add(new Stretch(days, num(r[1]), num(r[2]), num(r[3]), num(r[4])));
        }
        return stretches;
    }

    /** The whole report as Markdown tables. */
    public String markdown() throws SQLException {
        long[] counts = counts();
        String[] span = span();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "transactions in the lake: %,d rows (%,d distinct ids), event time %s to %s;"
                + " frauds %,d (%.2f %%), flagged %,d%n%n", counts[0], counts[1], span[0], span[1], counts[2],
            counts[0] == 0 ? 0.0 : 100.0 * counts[2] / counts[0], counts[3]));
        b.append("| slice | frauds | caught | recall | precision | ROC AUC | average precision |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Slice s : slices()) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.3f | %s | %.3f | %.3f |%n", s.name(), s.frauds(),
                s.caught(), s.recall(), s.name().equals("all") ? String.format(Locale.ROOT, "%.3f", s.precision())
                    : "", s.rocAuc(), s.averagePrecision()));
        }
        b.append("\nPer pattern: recall of its frauds; ROC AUC and average precision of its frauds against all "
            + "legitimate payments (precision is only meaningful overall).\n\n");
        b.append("| day of the stream | payments | frauds | caught | recall | flagged | precision |\n"
            + "|---|---|---|---|---|---|---|\n");
        for (Stretch s : byStreamDay()) {
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %.3f | %,d | %.3f |%n", s.days(),
                s.payments(), s.frauds(), s.caught(), s.recall(), s.flagged(), s.precision()));
        }
        b.append("\nBy event time since the table's first payment: the first days are judged with little history per "
            + "card and few fraud reports yet (reports come days late).\n\n");
        b.append("| rule | fired on frauds | fired on legitimate | precision when fired |\n|---|---|---|---|\n");
        for (RuleCount r : rules()) {
            long all = r.onFrauds() + r.onLegitimate();
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.3f |%n", r.rule(), r.onFrauds(),
                r.onLegitimate(), all == 0 ? 0.0 : (double) r.onFrauds() / all));
        }
        return b.toString();
    }

    private static long num(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static double dbl(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
