package io.eventlake.bench.fraud;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Two scores that need no transform, computed on the same events in the same order, to put the transform's average
 * precision in context: the amount alone, and the amount over the mean of the card's own earlier amounts (1 for a
 * card's first payment). Neither sees the labels.
 */
final class Baselines {

    private final Map<String, double[]> cards = new HashMap<>();
    private double[] amount = new double[1 << 16];
    private double[] ratio = new double[1 << 16];
    private boolean[] labels = new boolean[1 << 16];
    private int size;

    /** Learns the event; scores it only if {@code scored}. */
    void add(String card, double value, boolean label, boolean scored) {
        double[] c = cards.computeIfAbsent(card, k -> new double[2]);
        if (scored) {
            if (size == amount.length) {
                amount = Arrays.copyOf(amount, size * 2);
                ratio = Arrays.copyOf(ratio, size * 2);
                labels = Arrays.copyOf(labels, size * 2);
            }
            amount[size] = value;
            ratio[size] = c[1] == 0 ? 1 : value / Math.max(0.01, c[0] / c[1]);
            labels[size] = label;
            size++;
        }
        c[0] += value;
        c[1]++;
    }

    String report() {
        boolean[] l = Arrays.copyOf(labels, size);
        return String.format(Locale.ROOT, "Scores without the transform, same events (average precision / ROC AUC): "
                + "the amount alone %.3f / %.3f; the amount over the card's own earlier mean %.3f / %.3f.%n",
            Metrics.averagePrecision(Arrays.copyOf(amount, size), l), Metrics.rocAuc(Arrays.copyOf(amount, size), l),
            Metrics.averagePrecision(Arrays.copyOf(ratio, size), l), Metrics.rocAuc(Arrays.copyOf(ratio, size), l));
    }
}
