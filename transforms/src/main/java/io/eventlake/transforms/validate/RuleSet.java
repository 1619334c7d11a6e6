package io.eventlake.transforms.validate;

import java.util.List;

/** The configured rules, checked in the order of the keys in the reference, then of the entries in each key. */
final class RuleSet {

    private final Rule[] rules;

    RuleSet(List<Rule> rules) {
        this.rules = rules.toArray(new Rule[0]);
    }

    int size() {
        return rules.length;
    }

    /** The violations by a Struct or Map value; empty when it is valid. */
    Violations check(Object value) {
        Violations out = new Violations();
        for (Rule rule : rules) {
            rule.check(value, out);
        }
        return out;
    }
}
