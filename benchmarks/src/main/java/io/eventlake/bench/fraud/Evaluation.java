package io.eventlake.bench.fraud;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Collects the verdicts of a labelled stream and prints the quality tables. */
public final class Evaluation {

    private double[] scores = new double[1 << 16];
    private boolean[] flags = new boolean[1 << 16];
    private boolean[] labels = new boolean[1 << 16];
    private String[] patterns = new String[1 << 16];
    private int size;
    private final Map<String, long[]> rules = new TreeMap<>();

    /**
     * @param pattern the fraud pattern of a labelled fraud (null for a legitimate event)
     * @param reasons the rules that fired
     */
    public void add(double score, boolean flagged, boolean label, String pattern, List<String> reasons) {
        if (size == scores.length) {
            int n = size * 2;
            scores = Arrays.copyOf(scores, n);
            flags = Arrays.copyOf(flags, n);
            labels = Arrays.copyOf(labels, n);
            patterns = Arrays.copyOf(patterns, n);
        }
        scores[size] = score;
        flags[size] = flagged;
        labels[size] = label;
        patterns[size] = pattern;
        size++;
        for (String r : reasons) {
            long[] c = rules.computeIfAbsent(r, k -> new long[2]);
            c[label ? 0 : 1]++;
        }
    }

    public int size() {
        return size;
    }

    public Metrics.Confusion confusion() {
        return Metrics.Confusion.of(Arrays.copyOf(flags, size), Arrays.copyOf(labels, size));
    }

    public double rocAuc() {
        return Metrics.rocAuc(Arrays.copyOf(scores, size), Arrays.copyOf(labels, size));
    }

    public double averagePrecision() {
        return Metrics.averagePrecision(Arrays.copyOf(scores, size), Arrays.copyOf(labels, size));
    }

    /** The Markdown tables: overall, per pattern (frauds of the pattern against all legitimate events), per rule. */
    public String report() {
        StringBuilder out = new StringBuilder();
        Metrics.Confusion all = confusion();
        long frauds = all.truePositives() + all.falseNegatives();
        out.append(String.format(Locale.ROOT, "events %,d, frauds %,d (%.2f %%), flagged %,d%n%n", size, frauds,
            100.0 * frauds / size, all.truePositives() + all.falsePositives()));
        out.append("| slice | frauds | recall | precision | ROC AUC | average precision |\n|---|---|---|---|---|---|\n");
        out.append(row("all", frauds, all.recall(), all.precision(), rocAuc(), averagePrecision()));
        Map<String, Integer> byPattern = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            if (labels[i]) {
                byPattern.merge(patterns[i] == null ? "?" : patterns[i], 1, Integer::sum);
            }
        }
        for (String p : byPattern.keySet()) {
            // The pattern's frauds against every legitimate event; other frauds left out.
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (!labels[i] || p.equals(patterns[i])) {
                    n++;
                }
            }
            double[] s = new double[n];
            boolean[] l = new boolean[n];
            boolean[] f = new boolean[n];
            int k = 0;
            for (int i = 0; i < size; i++) {
                if (!labels[i] || p.equals(patterns[i])) {
                    s[k] = scores[i];
                    l[k] = labels[i];
                    f[k] = flags[i];
                    k++;
                }
            }
            Metrics.Confusion c = Metrics.Confusion.of(f, l);
            out.append(row(p, byPattern.get(p), c.recall(), Double.NaN, Metrics.rocAuc(s, l),
                Metrics.averagePrecision(s, l)));
        }
        out.append("\nPer pattern: recall of its frauds; ROC AUC and average precision of its frauds against all "
            + "legitimate events (precision is only meaningful overall).\n\n");
        out.append("| rule | fired on frauds | fired on legitimate | precision when fired |\n|---|---|---|---|\n");
        rules.forEach((r, c) -> out.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.3f |%n", r, c[0], c[1],
            c[0] / (double) (c[0] + c[1]))));
        return out.toString();
    }

    private static String row(String slice, long frauds, double recall, double precision, double auc, double ap) {
        return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s |%n", slice, frauds, f(recall),
            f(precision), f(auc), f(ap));
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }
}
