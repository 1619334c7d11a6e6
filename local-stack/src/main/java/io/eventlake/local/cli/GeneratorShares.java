package io.eventlake.local.cli;

import java.util.List;
import java.util.Map;

/**
 * Splits a total (events for {@code --events}, events per second for {@code --rate}) among the generator connectors
 * of the config folder, in proportion to the rates their files set (equally when none sets one), so that the parts
 * add up to the total exactly.
 */
final class GeneratorShares {

    private static final double DEFAULT_RATE = 1000;

    private GeneratorShares() {
    }

    static void split(Map<String, Map<String, String>> configs, List<String> generators, long total, String key) {
        double[] weights = new double[generators.size()];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            String rate = configs.get(generators.get(i)).get("events.per.second");
            weights[i] = rate == null ? DEFAULT_RATE : Double.parseDouble(rate);
            sum += weights[i];
        }
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            long part = i == weights.length - 1 ? total - given
                : sum > 0 ? (long) Math.floor(total * weights[i] / sum) : total / weights.length;
            given += part;
            configs.get(generators.get(i)).put(key, Long.toString(part));
        }
    }
}
