package io.eventlake.bench.fraud;

import java.util.Arrays;

/**
 * Quality of a flag and a score against labels: precision and recall of the flag, and the ranking quality of the
 * score, ROC AUC (the probability that a random fraud scores above a random legitimate event, ties counting half)
 * and average precision (the mean, over the frauds, of the precision among events scoring at least as high; tied
 * scores are taken as one block).
 */
public final class Metrics {

    private Metrics() {
    }

    /** ROC AUC by the rank-sum (Mann-Whitney) formula with average ranks for ties. */
    public static double rocAuc(double[] scores, boolean[] labels) {
        int n = scores.length;
        Integer[] order = order(scores);
        double rankSumPositives = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]]) {
                    rankSumPositives += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Average precision: sum over score blocks (highest first) of precision at the block's end x its recall gain. */
    public static double averagePrecision(double[] scores, boolean[] labels) {
        int n = scores.length;
        Integer[] order = order(scores);
        long totalPositives = 0;
        for (boolean l : labels) {
            if (l) {
                totalPositives++;
            }
        }
        if (totalPositives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        long seen = 0;
        long positives = 0;
        int end = n;
        // Blocks of equal score, from the highest score down.
        while (end > 0) {
            int start = end - 1;
            while (start - 1 >= 0 && scores[order[start - 1]] == scores[order[end - 1]]) {
                start--;
            }
            long blockPositives = 0;
            for (int k = start; k < end; k++) {
                if (labels[order[k]]) {
                    blockPositives++;
                }
            }
            seen += end - start;
            positives += blockPositives;
            ap += (positives / (double) seen) * (blockPositives / (double) totalPositives);
            end = start;
        }
        return ap;
    }

    /** Indices sorted by ascending score. */
    private static Integer[] order(double[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }

    /** Counts of a flag against labels. */
    public record Confusion(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

        public static Confusion of(boolean[] flags, boolean[] labels) {
            long tp = 0;
            long fp = 0;
            long fn = 0;
            long tn = 0;
            for (int i = 0; i < flags.length; i++) {
                if (flags[i] && labels[i]) {
                    tp++;
                } else if (flags[i]) {
                    fp++;
                } else if (labels[i]) {
                    fn++;
                } else {
                    tn++;
                }
            }
            return new Confusion(tp, fp, fn, tn);
        }

        public double precision() {
            return truePositives + falsePositives == 0 ? Double.NaN
                : truePositives / (double) (truePositives + falsePositives);
        }

        public double recall() {
            return truePositives + falseNegatives == 0 ? Double.NaN
                : truePositives / (double) (truePositives + falseNegatives);
        }
    }
}
