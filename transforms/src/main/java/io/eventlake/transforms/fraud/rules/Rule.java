package io.eventlake.transforms.fraud.rules;

import java.util.List;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Input;

/**
 * One fraud rule: it judges an event against the state it keeps (if any), then records the event in that state.
 * The judgement is a level: 1 or more means the rule fired (its threshold is reached), between 0 and 1 how close
 * the event came, NaN that the rule could not judge it (a field it needs is missing). The score takes
 * {@link #strength(double)} of the level times {@link #weight()}.
 */
public abstract class Rule {

    private final String name;
    private final double weight;
    private final boolean nearMisses;

    protected Rule(String name, double weight) {
        this(name, weight, true);
    }

    /**
     * @param nearMisses whether a level short of the threshold adds evidence; without, the rule adds evidence only
     *     when it fires
     */
    protected Rule(String name, double weight, boolean nearMisses) {
        this.name = name;
        this.weight = weight;
        this.nearMisses = nearMisses;
    }

    /** The rule's name, as listed in {@code fraud_reasons}. */
    public final String name() {
        return name;
    }

    /** How far the score rises when the rule fires (0-1): the rule's own confidence that a firing is fraud. */
    public final double weight() {
        return weight;
    }

    /** The fields the rule cannot judge without. */
    public abstract List<Input> needs();

    /** Judges, then records, one event; see the class comment for the level. */
    public abstract double apply(FraudEvent event);

    /**
     * The share of the weight a level carries: all of it when fired, at most half below the threshold, so that
     * evidence short of a rule's threshold never flags on its own but can add up with another rule's.
     */
    public double strength(double level) {
        return level >= 1 ? 1 : nearMisses ? 0.5 * level : 0;
    }

    /**
     * The share of the weight a level carries when no rule fired on the event: evidence short of every threshold is
     * damped (half the squared level), so a pile of ordinary near misses does not lift an event above one with real
     * evidence; a fired level still carries all of it.
     */
    public double uncorroboratedStrength(double level) {
        return level >= 1 ? 1 : nearMisses ? 0.5 * level * level : 0;
    }

    /** Drops all state (the transform is closing). */
    public void clear() {
    }

    /** Keys held, for metrics and tests. */
    public int keys() {
        return 0;
    }
}
