package io.eventlake.transforms.fraud.rules;

import static io.eventlake.transforms.fraud.Events.DAY;
import static io.eventlake.transforms.fraud.Events.HOUR;
import static io.eventlake.transforms.fraud.Events.MIN;
import static io.eventlake.transforms.fraud.Events.at;
import static io.eventlake.transforms.fraud.Events.limits;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.eventlake.transforms.fraud.FraudEvent;
import io.eventlake.transforms.fraud.Role;
import io.eventlake.transforms.fraud.state.StateLimits;

/** A repeat charge at a merchant that keeps charging cards again. */
class RepeatingMerchantRuleTest {

    private final StateLimits limits = limits();
    private final RepeatRule repeat = new RepeatRule(Role.CARD, 2, 10 * MIN, limits, 0.8);
    private final RepeatingMerchantRule rule = new RepeatingMerchantRule(repeat, null, 3, 0.05, 7 * DAY, limits, 0.6);

    private double judge(FraudEvent e) {
        repeat.apply(e);
        return rule.apply(e);
    }

    /** Card {@code card} pays at {@code merchant} at {@code t}, and again two minutes later; returns the repeat's level. */
    private double chargedTwice(String merchant, String card, long t) {
        judge(at(t).merchant(merchant).card(card));
        return judge(at(t + 2 * MIN).merchant(merchant).card(card));
    }

    /**
     * m1 takes 40 single charges from 40 cards over a day, then four cards are each charged twice: the first three
     * repeats do not fire (fewer than 3 repeats before them), the fourth does (3 repeats in 47 charges, 6.4 %), and a
     * single charge there never does. At m3, 200 single charges, then four repeats: the fourth does not fire (3
     * repeats in 207 charges, 1.4 %, under 5 %).
     */
    @Test
    void firesOnARepeatAtAMerchantWhereRepeatsAreFrequentOnly() {
        for (int i = 0; i < 40; i++) {
            judge(at(i * 30 * MIN).merchant("m1").card("c" + i));
        }
        long t = DAY;
        assertEquals(0, chargedTwice("m1", "a", t), "a first repeat: nothing before it");
        assertTrue(chargedTwice("m1", "b", t + HOUR) < 1, "one repeat before");
        assertTrue(chargedTwice("m1", "c", t + 2 * HOUR) < 1, "two repeats before");
        assertTrue(chargedTwice("m1", "d", t + 3 * HOUR) >= 1, "three repeats in 47 charges before");
        assertEquals(0, judge(at(t + 4 * HOUR).merchant("m1").card("e")), "a single charge");
        assertEquals(1, rule.strength(1));
        assertEquals(0, rule.strength(0.9), "no near misses");
        assertEquals(0, rule.uncorroboratedStrength(0.9));

        for (int i = 0; i < 200; i++) {
            judge(at(i * 6 * MIN).merchant("m3").card("x" + i));
        }
        for (int i = 0; i < 3; i++) {
            chargedTwice("m3", "y" + i, DAY + i * HOUR);
        }
        assertTrue(chargedTwice("m3", "z", DAY + 4 * HOUR) < 1, "3 repeats in 207 charges: 1.4 %");
    }

    /**
     * A small shop where repeats are frequent from the start (4 single charges, then repeats: 1 of 6 charges, 2 of
     * 8): the share is far above 5 % but a repeat fires only once the shop had 3 repeats before it.
     */
    @Test
    void aHighShareOfFewRepeatsIsNotEnough() {
        for (int i = 0; i < 4; i++) {
            judge(at(i * HOUR).merchant("m4").card("s" + i));
        }
        assertTrue(chargedTwice("m4", "a", DAY) < 1, "no repeat before");
        assertTrue(chargedTwice("m4", "b", DAY + HOUR) < 1, "one repeat before, 1 of 6 charges");
        assertTrue(chargedTwice("m4", "c", DAY + 2 * HOUR) < 1, "two repeats before, 2 of 8 charges");
        assertTrue(chargedTwice("m4", "d", DAY + 3 * HOUR) >= 1, "three repeats before");
    }

    /** Old repeats fade: three repeats at m1, then 8 weeks of single charges; a new repeat is judged on fresh counts. */
    @Test
    void repeatsWeighHalfAsMuchEveryHalfLife() {
        for (int i = 0; i < 3; i++) {
            chargedTwice("m1", "r" + i, i * HOUR);
        }
        for (int d = 1; d <= 56; d++) {
            judge(at(d * DAY).merchant("m1").card("s" + d));
        }
        assertTrue(chargedTwice("m1", "late", 57 * DAY) < 1, "three repeats 8 half-lives ago weigh 3/256");
    }

    @Test
    void needsTheRepeatRulesCountAndComesAfterIt() {
        assertTrue(Double.isNaN(rule.apply(at(0).merchant("m1"))), "merchant_repeat has not judged the event");
        assertTrue(rule.needs().containsAll(List.of(io.eventlake.transforms.fraud.Input.MERCHANT)));
    }
    /**
     * With several tasks (issue 13, section 3). Sequence: (1) this task judges payments of its own cards c0-c29 at
     * merchant r0, while reports of 30 frauds there arrive, 10 of its cards and 20 of cards other tasks judge, so
     * merchant_fraud_rate learns that this task sees a third of the traffic; (2) at merchant m5, 10 single charges,
     * then repeats. Each repeat this task sees stands for about three: the second repeat (one before it, about three
     * for the merchant, 1 in 13 charges) fires, where a task counting only its own needs three before it.
     */
    @Test
    void aTaskWithAThirdOfTheTrafficCountsEachRepeatForThree() {
        StateLimits l = limits();
        RepeatRule rep = new RepeatRule(Role.CARD, 2, 10 * MIN, l, 0.8);
        FeedbackRule rate = new FeedbackRule(Role.MERCHANT, 3, 0.02, 10, 2 * DAY, true, l, 1.0);
        RepeatingMerchantRule scaled = new RepeatingMerchantRule(rep, rate, 3, 0.05, 7 * DAY, l, 0.6);
        List<Rule> chain = List.of(rep, rate, scaled);
        for (int i = 0; i < 30; i++) {
            run(chain, at(i * MIN).merchant("r0").card("c" + i));
            rate.report(new io.eventlake.transforms.fraud.feedback.Report(at(i * MIN).timeMs(), at(HOUR).timeMs(),
                "u", i % 3 == 0 ? "c" + i : "x" + i, "r0"));
        }
        run(chain, at(2 * HOUR).merchant("r0").card("c0"));
        assertEquals(1 / 3.0, rate.ownShare(), 1e-9);
        for (int i = 0; i < 10; i++) {
            run(chain, at(3 * HOUR + i * MIN).merchant("m5").card("s" + i));
        }
        run(chain, at(DAY).merchant("m5").card("a"));
        assertTrue(run(chain, at(DAY + 2 * MIN).merchant("m5").card("a")) < 1, "no repeat before");
        run(chain, at(DAY + HOUR).merchant("m5").card("b"));
        assertTrue(run(chain, at(DAY + HOUR + 2 * MIN).merchant("m5").card("b")) >= 1,
            "one repeat before, about three for the merchant");
    }

    /** Runs the rules in order and returns the last one's level. */
    private static double run(List<Rule> chain, FraudEvent e) {
        double level = 0;
        for (Rule r : chain) {
            level = r.apply(e);
        }
        return level;
    }
}
