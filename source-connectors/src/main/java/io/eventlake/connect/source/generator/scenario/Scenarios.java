package io.eventlake.connect.source.generator.scenario;

import java.util.List;
import java.util.Locale;

/** The scenarios by name. */
public final class Scenarios {

    public static final List<String> NAMES = List.of(ClickstreamScenario.NAME, CartScenario.NAME,
        TransactionsScenario.NAME, SensorsScenario.NAME);

    private Scenarios() {
    }

    public static Scenario create(String name, ScenarioSettings settings) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case ClickstreamScenario.NAME -> new ClickstreamScenario(settings);
            case CartScenario.NAME -> new CartScenario(settings);
            case TransactionsScenario.NAME -> new TransactionsScenario(settings);
            case SensorsScenario.NAME -> new SensorsScenario(settings);
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + NAMES);
        };
    }
}
