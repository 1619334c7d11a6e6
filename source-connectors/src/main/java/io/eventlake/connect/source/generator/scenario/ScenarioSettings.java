package io.eventlake.connect.source.generator.scenario;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the scenarios need of the connector's configuration, parsed once.
 *
 * @param seed the stream's seed
 * @param users how many users (card holders, shoppers, visitors) the user scenarios draw from
 * @param devices how many devices the sensors scenario draws from
 * @param products how many products the shop sells
 * @param labels whether transactions carry {@code fraud_label} and {@code fraud_pattern}
 * @param fraudShares the share of transactions that are fraud of each pattern
 * @param reportShare the share of fraudulent transactions later confirmed by a fraud report
 * @param reportDelayMinMs the smallest delay of a report after its transaction
 * @param reportDelayMaxMs the largest delay of a report after its transaction
 */
public record ScenarioSettings(long seed, int users, int devices, int products, boolean labels,
                               Map<FraudPattern, Double> fraudShares, double reportShare, long reportDelayMinMs,
                               long reportDelayMaxMs) {

    public ScenarioSettings {
        fraudShares = Map.copyOf(new EnumMap<>(fraudShares));
    }

    public double share(FraudPattern pattern) {
        return fraudShares.getOrDefault(pattern, 0.0);
    }

    /** Defaults as documented in the connector's configuration, for tests and benches. */
    public static ScenarioSettings defaults(long seed) {
        Map<FraudPattern, Double> shares = new EnumMap<>(FraudPattern.class);
        for (FraudPattern p : FraudPattern.values()) {
            shares.put(p, 0.003);
        }
        return new ScenarioSettings(seed, 10_000, 1_000, 500, true, shares, 0.7, 24 * 3_600_000L,
            10 * 24 * 3_600_000L);
    }
}
