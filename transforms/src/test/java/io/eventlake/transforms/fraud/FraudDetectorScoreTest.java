package io.eventlake.transforms.fraud;

import static io.eventlake.transforms.fraud.Events.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.rules.Rule;

/** How the detector combines the rules' levels into the score. */
class FraudDetectorScoreTest {

    /** A rule that judges every event at a level set by the test. */
    private static final class Fixed extends Rule {
        double level;

        Fixed(String name, double weight) {
            super(name, weight);
        }

        @Override
        public List<Input> needs() {
            return List.of(Input.AMOUNT);
        }

        @Override
        public double apply(FraudEvent event) {
            return level;
        }
    }

    /**
     * Near misses count in full only beside a rule that fired. Rules A and B (weight 0.8) are both half-way to their
     * thresholds (level 0.5); C (weight 0.4) does or does not fire. (1) C silent: A and B carry half their squared
     * level each, 0.125 x 0.8 = 0.1, score 1 - 0.9^2 = 0.19; (2) C fires: A and B carry half their level, 0.25 x 0.8 =
     * 0.2, score 1 - 0.6 x 0.8^2 = 0.616, flagged. Each near miss alone (linear) would have scored 0.36 without C.
     */
    @Test
    void nearMissesAreDampedUnlessAnotherRuleFired() {
        Fixed a = new Fixed("a", 0.8);
        Fixed b = new Fixed("b", 0.8);
        Fixed c = new Fixed("c", 0.4);
        FraudDetector detector = new FraudDetector(null, List.of(a, b, c), 0.5, false, null);
        a.level = 0.5;
        b.level = 0.5;
        c.level = 0.3;
        Verdict quiet = detector.judge(at(0));
        assertEquals(1 - Math.pow(1 - 0.8 * 0.5 * 0.25, 2) * (1 - 0.4 * 0.5 * 0.09), quiet.score, 1e-12);
        assertFalse(quiet.flagged);
        c.level = 1;
        Verdict corroborated = detector.judge(at(1));
        assertEquals(1 - 0.6 * 0.8 * 0.8, corroborated.score, 1e-12);
        assertTrue(corroborated.flagged);
    }

    /**
     * A rule that cannot judge (NaN: a field missing) is left out of the score, and of the question whether another
     * rule fired; with fields.missing=fail it is an error naming the rule.
     */
    @Test
    void aRuleThatCannotJudgeIsSkippedOrFailsAsConfigured() {
        Fixed a = new Fixed("a", 0.8);
        Fixed b = new Fixed("b", 0.8);
        a.level = 0.5;
        b.level = Double.NaN;
        FraudDetector skip = new FraudDetector(null, List.of(a, b), 0.5, false, null);
        assertEquals(0.8 * 0.5 * 0.25, skip.judge(at(0)).score, 1e-12);
        FraudDetector fail = new FraudDetector(null, List.of(a, b), 0.5, true, null);
        FraudDetector.MissingFieldException e = org.junit.jupiter.api.Assertions.assertThrows(
            FraudDetector.MissingFieldException.class, () -> fail.judge(at(0)));
        assertTrue(e.getMessage().contains("rule b"), e.getMessage());
    }

    /** A fired rule carries its whole weight whether or not another fired: 0.8 alone scores 0.8. */
    @Test
    void aFiredRuleCarriesItsWholeWeightAlone() {
        Fixed a = new Fixed("a", 0.8);
        Fixed b = new Fixed("b", 0.4);
        FraudDetector detector = new FraudDetector(null, List.of(a, b), 0.5, false, null);
        a.level = 1;
        b.level = 0;
        assertEquals(0.8, detector.judge(at(0)).score, 1e-12);
    }
}
