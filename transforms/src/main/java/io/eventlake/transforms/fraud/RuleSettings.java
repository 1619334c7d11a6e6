package io.eventlake.transforms.fraud;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;

import io.eventlake.transforms.fraud.rules.AmountFraudRateRule;
import io.eventlake.transforms.fraud.rules.AmountLimitRule;
import io.eventlake.transforms.fraud.rules.AmountOutlierRule;
import io.eventlake.transforms.fraud.rules.AmountSpikeRule;
import io.eventlake.transforms.fraud.rules.CardTestingRule;
import io.eventlake.transforms.fraud.rules.DistinctRule;
import io.eventlake.transforms.fraud.rules.FeedbackRule;
import io.eventlake.transforms.fraud.rules.NewValueRule;
import io.eventlake.transforms.fraud.rules.PassThroughRule;
import io.eventlake.transforms.fraud.rules.RepeatRule;
import io.eventlake.transforms.fraud.rules.RepeatingMerchantRule;
import io.eventlake.transforms.fraud.rules.ReportedRepeatRule;
import io.eventlake.transforms.fraud.rules.Rule;
import io.eventlake.transforms.fraud.rules.TravelRule;
import io.eventlake.transforms.fraud.rules.VelocityRule;
import io.eventlake.transforms.fraud.state.StateLimits;

/**
 * The rules' settings: each rule can be switched off, has its key (the entity it keeps state for), its parameters
 * and its weight in the score. Every default is a general payments choice, explained in its doc and in
 * {@code doc/fraud.md}; none is fitted to a particular stream.
 */
final class RuleSettings {

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static final String AMOUNT_LIMIT = "amount.limit.";
    static final String AMOUNT_SPIKE = "amount.spike.";
    static final String AMOUNT_OUTLIER = "amount.outlier.";
    static final String VELOCITY = "velocity.";
    static final String REPEAT = "merchant_repeat.";
    static final String TRAVEL = "travel.";
    static final String DISTINCT = "distinct.";
    static final String MERCHANTS = "many.merchants.";
    static final String NEW_DEVICE = "new.device.";
    static final String CARD_TESTING = "card.testing.";
    static final String PASS_THROUGH = "pass.through.";
    static final String FEEDBACK_MERCHANT = "feedback.merchant.";
    static final String FEEDBACK_CARD = "feedback.card.";
    static final String FEEDBACK_AMOUNT = "feedback.amount.";
    static final String FEEDBACK = "feedback.";
    static final String REPORTED_REPEAT = "reported.repeat.";
    static final String REPEATING_MERCHANT = "repeating.merchant.";

    static final String ENABLED = "enabled";
    static final String WEIGHT = "weight";
    static final String KEY = "key";

    private RuleSettings() {
    }

    private static final ConfigDef.Validator ROLE = ConfigDef.CaseInsensitiveValidString.in(
        Role.NAMES.toArray(String[]::new));
    private static final ConfigDef.Validator UNIT = Range.between(0.0, 1.0);

    /** A confidence level: 0 (off) or in [0.5, 0.999]. */
    static final class ConfidenceLevel implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            double v = (Double) value;
            if (!(v == 0 || (v >= 0.5 && v <= 0.999))) {
                throw new ConfigException(name, value, "must be 0 (off) or a confidence level in [0.5, 0.999]");
            }
        }

        @Override
        public String toString() {
            return "0 or [0.5,...,0.999]";
        }
    }

    /** A rule's group: its switch, key (when it has one) and weight; the caller adds the parameters. */
    private static final class Group {
        final ConfigDef def;
        final String prefix;
        final String name;
        int order;

        Group(ConfigDef def, String prefix, String name) {
            this.def = def;
            this.prefix = prefix;
            this.name = name;
        }

        Group define(String suffix, Type type, Object dflt, ConfigDef.Validator validator, String doc) {
            def.define(prefix + suffix, type, dflt, validator, Importance.MEDIUM, doc, name, ++order, Width.SHORT,
                prefix + suffix);
            return this;
        }

        Group enabled(String what) {
            return define(ENABLED, Type.BOOLEAN, true, null, "Switches the " + what + " rule on or off.");
        }

        Group key(Role dflt, String doc) {
            return define(KEY, Type.STRING, dflt.label(), ROLE, doc + " One of " + Role.NAMES + ".");
        }

        Group weight(double dflt, String doc) {
            return define(WEIGHT, Type.DOUBLE, dflt, UNIT, doc);
        }
    }

    static ConfigDef define(ConfigDef def) {
        new Group(def, AMOUNT_LIMIT, "Rule amount_limit").enabled("amount_limit")
            .define("thresholds", Type.LIST, "USD:10000,EUR:10000,GBP:10000", CurrencyAmounts.VALIDATOR,
                "Amount at or above which a charge fires, per currency (* = any currency, or a stream without "
                    + "currency). Default: 10,000 in the major currencies, the level at which large transactions "
                    + "are reported to regulators in the US (CTR) and the EU; currencies not listed are not judged.")
            .weight(0.6, "Weight: a charge at the limit flags on its own (0.6 >= the default flag.threshold).");

        new Group(def, AMOUNT_SPIKE, "Rule amount_spike").enabled("amount_spike")
            .key(Role.USER, "Whose spending history an amount is compared with.")
            .define("ratio", Type.DOUBLE, 5.0, Range.atLeast(1.0001),
                "Fires when the amount is at least this many times the key's own mean amount. Default 5: far "
                    + "outside a person's usual basket, yet reached by a cash-out on a stolen card.")
            .define("min.history", Type.INT, 3, Range.atLeast(1),
                "Amounts the key must have before it is judged. Default 3: a mean of fewer is mostly noise. A mean "
                    + "of few amounts is itself uncertain, so the ratio is widened for it, as the predictive "
                    + "interval of a new amount around a mean of n (in log space) widens with sqrt(1 + 1/n): "
                    + "ratio^1.13 after 3 amounts, ratio^1.07 after 5, the ratio itself from 20 (5x becomes 6.1x and 5.6x).")
            .define("half.life.ms", Type.LONG, 30 * DAY, Range.atLeast(1),
                "The weight of a past amount in the mean halves every this much event time (default 30 days: a "
                    + "month of spending, following slow changes).")
            .define("spread", Type.DOUBLE, 2.0, Range.atLeast(0),
                "The amount must also lie at least this many of the key's own standard deviations of ln(amount) "
                    + "above the mean of its ln(amount) (widened for few amounts as the ratio is); 0 judges by the "
                    + "ratio alone. Default 2: a steady basket (amounts within about 1.5x of each other) is judged "
                    + "by the ratio as before, while a key whose amounts span orders of magnitude (a mobile-money "
                    + "account's payments, cash-outs and transfers) needs a jump beyond its own usual variation.")
            .weight(0.6, "Weight: a spike flags on its own.");

        new Group(def, AMOUNT_OUTLIER, "Rule amount_outlier").enabled("amount_outlier")
            .define("quantile", Type.DOUBLE, 0.999, Range.between(0.5, 0.999999),
                "Fires when the amount is at or above this quantile of the amounts the task has seen in the same "
                    + "currency (whatever the card's own history, so a card's first payment is judged too). Default "
                    + "0.999: an amount one payment in a thousand reaches.")
            .define("min.amounts", Type.LONG, 1000L, Range.atLeast(1),
                "Amounts of a currency the task must have seen before it judges by them. Default 1,000: the top "
                    + "thousandth of fewer is a single amount.")
            .define("half.life.ms", Type.LONG, 30 * DAY, Range.atLeast(1),
                "The weight of a past amount halves every this much event time (default 30 days, as amount_spike's "
                    + "mean: prices drift slowly).")
            .weight(0.4, "Weight: one honest payment in a thousand reaches the quantile, so alone it does not flag "
                + "(0.4 < the default flag.threshold); with any other evidence (a new device, a spike over the card's "
                + "own mean, a near miss beside them) it does. With fraud reports, the weight it starts from: the "
                + "reports can raise it (feedback.learn.weights).");

        new Group(def, VELOCITY, "Rule velocity").enabled("velocity")
            .key(Role.CARD, "What is counted.")
            .define("max.events", Type.INT, 3, Range.between(1, 1000),
                "Fires when the key has more than this many events in the window. Default: more than 3 charges on "
                    + "one card in 10 minutes, a common issuer velocity limit; a person rarely pays 4 times in 10 "
                    + "minutes with one card, a fraudster draining it does.")
            .define("window.ms", Type.LONG, 10 * MINUTE, Range.atLeast(1), "The sliding window, in event time.")
            .weight(0.8, "Weight: velocity flags on its own.");

        new Group(def, REPEAT, "Rule merchant_repeat").enabled("merchant_repeat")
            .key(Role.CARD, "Whose charges at one merchant are counted.")
            .define("max.events", Type.INT, 2, Range.between(1, 1000),
                "Fires when the key is charged more than this many times at one merchant (or terminal) in the "
                    + "window. Default: a third charge at the same shop within 10 minutes, the way a compromised "
                    + "terminal or a cloned card is cashed in; honest customers do pay twice now and then (a "
                    + "forgotten item), which stays weak evidence (half the weight at most).")
            .define("window.ms", Type.LONG, 10 * MINUTE, Range.atLeast(1), "The sliding window, in event time.")
            .weight(0.8, "Weight: a third charge at one shop in minutes flags on its own, like velocity.");

        new Group(def, TRAVEL, "Rule impossible_travel").enabled("impossible_travel")
            .key(Role.CARD, "Whose positions are compared.")
            .define("max.speed.kmh", Type.DOUBLE, 1000.0, Range.atLeast(1.0),
                "Fires when the card would have moved faster than this between two charges. Default 1000 km/h: "
                    + "faster than an airliner.")
            .define("min.distance.km", Type.DOUBLE, 500.0, Range.atLeast(0.0),
                "Points closer than this are never impossible (geolocation of online charges is often off by "
                    + "hundreds of km).")
            .define("country.window.ms", Type.LONG, HOUR, Range.atLeast(0),
                "Without coordinates: fires when the country changes within this time (default 1 hour).")
            .weight(0.9, "Weight: impossible travel flags on its own.");

        new Group(def, DISTINCT, "Rule many_devices").enabled("many_<field>s")
            .key(Role.USER, "Whose distinct values are counted.")
            .define("field", Type.STRING, Role.DEVICE.label(), ROLE,
                "What is counted per key: device (many_devices) or card (many_cards).")
            .define("max", Type.INT, 3, Range.between(1, 1000),
                "Fires when the key uses more than this many distinct values in the window. Default: more than "
                    + "3 devices a day (a phone, a laptop, a tablet) is an account-takeover or fraud-ring sign.")
            .define("window.ms", Type.LONG, DAY, Range.atLeast(1), "The sliding window, in event time.")
            .weight(0.7, "Weight: flags on its own.");

        new Group(def, MERCHANTS, "Rule many_merchants").enabled("many_merchants")
            .key(Role.CARD, "Whose merchants are counted.")
            .define("max", Type.INT, 2, Range.between(1, 1000),
                "Fires when the key is charged at more than this many distinct merchants in the window. Default: "
                    + "three different merchants on one card within 5 minutes, which a person paying in shops "
                    + "cannot do (walking between them and queueing takes longer) and rarely does online; a stolen "
                    + "card being cashed out does, from its third charge, where velocity (more than 3 in 10 "
                    + "minutes) waits for the fourth. Repeats at one merchant (a marketplace splitting an order) "
                    + "count once: merchant_repeat judges those.")
            .define("window.ms", Type.LONG, 5 * MINUTE, Range.atLeast(1), "The sliding window, in event time.")
            .weight(0.8, "Weight: flags on its own, like velocity.");

        new Group(def, NEW_DEVICE, "Rule new_device").enabled("new_<field>")
            .key(Role.USER, "Whose known values are remembered.")
            .define("field", Type.STRING, Role.DEVICE.label(), ROLE, "What is remembered per key (device).")
            .define("min.history", Type.INT, 1, Range.atLeast(1),
                "Events with the field a key must have before a new value counts (a new customer has only new "
                    + "devices). Default 1: the device of a user's first charge with one is the profile, and any "
                    + "other device after it is first-seen, the usual card-not-present signal; a second honest "
                    + "device then shows as new once per session, which alone never flags (weight 0.4) and needs "
                    + "other evidence (an amount far above the user's own, a burst) to.")
            .define("memory", Type.INT, 8, Range.between(1, 256), "Distinct values remembered per key.")
            .define("young.ms", Type.LONG, HOUR, Range.atLeast(0),
                "A new device stays new for this long after it was first seen (default 1 hour: a session), so "
                    + "every charge of a run from it counts.")
            .weight(0.4, "Weight: a first-seen device is common for honest users (a new phone), so alone it does "
                + "not flag; with an amount above the user's usual or a burst it does. With fraud reports, the weight "
                + "it starts from: the reports can raise it (feedback.learn.weights).");

        new Group(def, CARD_TESTING, "Rule card_testing").enabled("card_testing")
            .key(Role.CARD, "What is tested.")
            .define("max.amounts", Type.LIST, "*:1", CurrencyAmounts.VALIDATOR,
                "A charge at most this amount (per currency, * = any) is small. Default: one unit of any "
                    + "currency, the usual test amount.")
            .define("max.ratio", Type.DOUBLE, 0.1, Range.between(0.0, 1.0),
                "A charge at most this share of the key's own mean amount is also small (default a tenth).")
            .define("min.history", Type.INT, 5, Range.atLeast(1), "Amounts before the key's mean is used.")
            .define("min.small", Type.INT, 3, Range.between(1, 1000),
                "Fires when the key has at least this many small charges in the window (default 3: one small "
                    + "charge is a coffee, three in an hour on one card is a test run).")
            .define("window.ms", Type.LONG, HOUR, Range.atLeast(1), "The sliding window, in event time.")
            .weight(0.8, "Weight: flags on its own, and so does the charge that follows the test run.");

        new Group(def, PASS_THROUGH, "Rule pass_through")
            .define(ENABLED, Type.BOOLEAN, false, null, "Switches the pass_through rule on. Off by default: it "
                + "needs the receiving role (pass.through.field) to name accounts of the same kind as the key (a "
                + "transfer's destination account), which card payments do not (a terminal id is no customer id, "
                + "even when both are numbers). Turn it on for person-to-person transfers and mobile money.")
            .key(Role.USER, "The account whose outgoing events are compared with what it received.")
            .define("field", Type.STRING, Role.MERCHANT.label(), ROLE, "The role naming who receives an event's "
                + "amount (a transfer's destination): what an account received is what the events naming it there "
                + "carried. Default merchant: the destination of a payment or transfer.")
            .define("window.ms", Type.LONG, DAY, Range.atLeast(1), "How far back received amounts count (default "
                + "a day: the rapid movement of funds that anti-money-laundering rules look for).")
            .define("share", Type.DOUBLE, 0.8, Range.between(0.01, 1.0), "Fires when an event's amount is within "
                + "this share of what the account received in the window, either way (default 0.8: most of it "
                + "passed on, or not much more than came in).")
            .define("memory", Type.INT, 8, Range.between(1, 256), "Amounts received remembered per account.")
            .weight(0.4, "Weight: passing on what came in is also what people do with money a friend sent, so alone "
                + "it does not flag; with the reports it can rise (feedback.learn.weights).");

        new Group(def, FEEDBACK_MERCHANT, "Rule merchant_fraud_rate").enabled("merchant_fraud_rate")
            .define("min.reports", Type.INT, 3, Range.atLeast(1),
                "Confirmed frauds a merchant needs before the rule fires (one chargeback is an accident).")
            .define("min.share", Type.DOUBLE, 0.02, UNIT,
                "Share of confirmed fraud at which the rule fires; default 2 %, twice the card schemes' "
                    + "excessive-fraud level for merchants (about 1 %): the share of a few days of a merchant's "
                    + "traffic is noisy, and one or two unlucky frauds must not name an ordinary shop.")
            .define("half.life.ms", Type.LONG, 2 * DAY, Range.atLeast(1),
                "The merchant's transactions whose fate is known weigh half as much every this much event time, "
                    + "counted from the newest ones known (default 2 days: a terminal's compromise starts at once, "
                    + "and weeks of honest traffic before it must not hide it). The share counts a recent "
                    + "transaction only as far as frauds of its age are reported by now, learned from the reports' "
                    + "own delays.")
            .define("confidence", Type.DOUBLE, 0.95, new ConfidenceLevel(),
                "The evidence the rule adds is the lower bound of the share's confidence interval at this level "
                    + "(Wilson's score interval over the merchant's transactions whose fate is known): the share the "
                    + "reports make certain at 95 %, the usual level. It scales with the merchant's own traffic: 3 "
                    + "confirmed frauds among 3 known payments give 0.53 (a quiet terminal whose recent payments are "
                    + "all fraud flags at once), 3 among 100 give 0.012. Whether the rule fires (min.share) is still "
                    + "decided on the share with feedback.prior.transactions. 0: the evidence is that share too (a "
                    + "fixed prior, which caps a merchant with little traffic below the flag threshold).")
            .weight(1.0, "Weight of the observed fraud share: 1 takes it as a probability.");

        new Group(def, FEEDBACK_CARD, "Rule card_fraud_rate").enabled("card_fraud_rate")
            .define("min.reports", Type.INT, 1, Range.atLeast(1),
                "Confirmed frauds a card needs before the rule fires (one: the card is compromised).")
            .define("min.share", Type.DOUBLE, 0.1, UNIT, "Share of confirmed fraud at which the rule fires "
                + "(default a tenth of the card's recent payments: one old chargeback among many honest payments "
                + "does not make every later payment a reason).")
            .weight(1.0, "Weight of the observed fraud share.");

        new Group(def, FEEDBACK_AMOUNT, "Rule amount_fraud_rate").enabled("amount_fraud_rate")
            .define("bands.per.octave", Type.INT, 4, Range.between(1, 64),
                "Amount bands per doubling of the amount (default 4: bands about 19 % wide, close to how far apart "
                    + "price points are; each band learns its own confirmed share). Per currency, from the "
                    + "reports' amount and currency (feedback.field.amount, feedback.field.currency).")
            .define("min.reports", Type.INT, 3, Range.atLeast(1),
                "Confirmed frauds a band needs before it adds evidence (as merchant_fraud_rate's default).")
            .define("min.share", Type.DOUBLE, 0.1, UNIT,
                "The rule fires (is listed in the reasons) when the lower bound of the band's confirmed share "
                    + "reaches this (default a tenth: a hundred times the usual card fraud rate).")
            .define("half.life.ms", Type.LONG, 7 * DAY, Range.atLeast(1),
                "The band's payments and reports weigh half as much every this much event time (default a week, "
                    + "as card_fraud_rate's: which amounts fraudsters take changes with their tools, slowly).")
            .define("confidence", Type.DOUBLE, 0.95, Range.between(0.5, 0.999),
                "The evidence the rule adds is the lower bound of the band's confirmed share at this confidence "
                    + "(Wilson's score interval over its payments whose fate is known, as "
                    + "feedback.merchant.confidence): a band of ordinary amounts, where frauds are a fraction of "
                    + "a percent, adds almost nothing.")
            .weight(1.0, "Weight of the confirmed share's lower bound: 1 takes it as a probability.");

        new Group(def, REPORTED_REPEAT, "Rule reported_merchant_repeat").enabled("reported_merchant_repeat")
            .weight(0.6, "Weight: a second charge on one card at one merchant within merchant_repeat's window, at a "
                + "merchant where merchant_fraud_rate fires, flags on its own. Either alone is common (a forgotten "
                + "item; the honest customers of a merchant with some fraud); together they are how a compromised "
                + "terminal is cashed in. Needs both rules on and a reports topic.");

        new Group(def, REPEATING_MERCHANT, "Rule repeating_merchant").enabled("repeating_merchant")
            .define("min.repeats", Type.INT, 3, Range.atLeast(1),
                "Repeat charges (a card charged again at the merchant within merchant_repeat's window) the merchant "
                    + "must have had lately before a repeat there fires.")
            .define("min.share", Type.DOUBLE, 0.05, UNIT,
                "Share of the merchant's recent charges that were repeats at which a repeat there fires (default "
                    + "one in twenty: honest shops see a forgotten item now and then, not one charge in twenty).")
            .define("half.life.ms", Type.LONG, 7 * DAY, Range.atLeast(1),
                "The merchant's charges and repeats weigh half as much every this much event time (default a week).")
            .weight(0.6, "Weight: a repeat at a merchant that keeps re-charging cards flags on its own.");

        new Group(def, FEEDBACK, "Feedback window")
            .define("half.life.ms", Type.LONG, 7 * DAY, Range.atLeast(1),
                "card_fraud_rate's reports and transactions weigh half as much every this much event time (default "
                    + "a week: recent fraud matters most; a compromise is usually over in weeks). merchant_fraud_rate "
                    + "has its own, feedback.merchant.half.life.ms.")
            .define("prior.transactions", Type.DOUBLE, 10.0, Range.atLeast(0.0),
                "Added to the transactions under a share, so a key seen a few times cannot have a share of 1 from "
                    + "one report: card_fraud_rate's share, and merchant_fraud_rate's when it decides whether the rule "
                    + "fires (its evidence is a confidence bound, feedback.merchant.confidence).");
        return def;
    }

    /** The enabled rules, in a fixed order; feedback rules only when {@code feedback} (a reports topic is set). */
    static List<Rule> create(AbstractConfig c, FraudFlagConfig fields, StateLimits limits, boolean feedback) {
        List<Rule> rules = new ArrayList<>();
        if (on(c, AMOUNT_LIMIT)) {
            rules.add(new AmountLimitRule(CurrencyAmounts.parse(c.getList(AMOUNT_LIMIT + "thresholds")),
                weight(c, AMOUNT_LIMIT)));
        }
        if (on(c, AMOUNT_SPIKE)) {
            rules.add(new AmountSpikeRule(key(c, AMOUNT_SPIKE, fields), c.getDouble(AMOUNT_SPIKE + "ratio"),
                c.getInt(AMOUNT_SPIKE + "min.history"), c.getLong(AMOUNT_SPIKE + "half.life.ms"),
                c.getDouble(AMOUNT_SPIKE + "spread"), limits, weight(c, AMOUNT_SPIKE)));
        }
        if (on(c, AMOUNT_OUTLIER)) {
            rules.add(new AmountOutlierRule(c.getDouble(AMOUNT_OUTLIER + "quantile"),
                c.getLong(AMOUNT_OUTLIER + "min.amounts"), c.getLong(AMOUNT_OUTLIER + "half.life.ms"),
                weight(c, AMOUNT_OUTLIER)));
        }
        if (on(c, VELOCITY)) {
            rules.add(new VelocityRule(key(c, VELOCITY, fields), c.getInt(VELOCITY + "max.events"),
                c.getLong(VELOCITY + "window.ms"), limits, weight(c, VELOCITY)));
        }
        if (on(c, REPEAT) && fields.has(Input.MERCHANT)) {
            rules.add(new RepeatRule(key(c, REPEAT, fields), c.getInt(REPEAT + "max.events"),
                c.getLong(REPEAT + "window.ms"), limits, weight(c, REPEAT)));
        }
        if (on(c, TRAVEL)) {
            Role key = key(c, TRAVEL, fields);
            if (!fields.has(Input.LATITUDE) && !fields.has(Input.COUNTRY)) {
                throw new ConfigException(Input.LATITUDE.configKey(), "", "rule impossible_travel needs "
                    + "coordinates (field.latitude and field.longitude) or field.country; set them or "
                    + TRAVEL + ENABLED + "=false");
            }
            rules.add(new TravelRule(key, c.getDouble(TRAVEL + "max.speed.kmh"),
                c.getDouble(TRAVEL + "min.distance.km"), c.getLong(TRAVEL + "country.window.ms"), limits,
                weight(c, TRAVEL)));
        }
        if (on(c, DISTINCT)) {
            Role key = key(c, DISTINCT, fields);
            Role counted = role(c, DISTINCT + "field", fields, DISTINCT);
            if (counted == key) {
                throw new ConfigException(DISTINCT + "field", counted.label(), "must differ from " + DISTINCT + KEY);
            }
            rules.add(new DistinctRule(key, counted, c.getInt(DISTINCT + "max"), c.getLong(DISTINCT + "window.ms"),
                limits, weight(c, DISTINCT)));
        }
        if (on(c, MERCHANTS) && fields.has(Input.MERCHANT)) {
            Role key = key(c, MERCHANTS, fields);
            if (key == Role.MERCHANT) {
                throw new ConfigException(MERCHANTS + KEY, key.label(), "must differ from merchant (the counted "
                    + "field)");
            }
            if (on(c, DISTINCT) && Role.of(c.getString(DISTINCT + "field")) == Role.MERCHANT) {
                throw new ConfigException(DISTINCT + "field", "merchant", "rule many_merchants counts merchants "
                    + "already; set " + MERCHANTS + ENABLED + "=false to count them with " + DISTINCT + "* instead");
            }
            rules.add(new DistinctRule(key, Role.MERCHANT, c.getInt(MERCHANTS + "max"),
                c.getLong(MERCHANTS + "window.ms"), limits, weight(c, MERCHANTS), false));
        }
        if (on(c, NEW_DEVICE)) {
            Role key = key(c, NEW_DEVICE, fields);
            Role counted = field(c, NEW_DEVICE, key, fields);
            rules.add(new NewValueRule(key, counted, c.getInt(NEW_DEVICE + "min.history"),
                c.getInt(NEW_DEVICE + "memory"), c.getLong(NEW_DEVICE + "young.ms"), limits, weight(c, NEW_DEVICE)));
        }
        if (on(c, CARD_TESTING)) {
            rules.add(new CardTestingRule(key(c, CARD_TESTING, fields),
                CurrencyAmounts.parse(c.getList(CARD_TESTING + "max.amounts")), c.getDouble(CARD_TESTING + "max.ratio"),
                c.getInt(CARD_TESTING + "min.history"), c.getInt(CARD_TESTING + "min.small"),
                c.getLong(CARD_TESTING + "window.ms"), c.getLong(AMOUNT_SPIKE + "half.life.ms"), limits,
                weight(c, CARD_TESTING)));
        }
        if (on(c, PASS_THROUGH)) {
            Role key = key(c, PASS_THROUGH, fields);
            Role receiver = field(c, PASS_THROUGH, key, fields);
            rules.add(new PassThroughRule(key, receiver, c.getDouble(PASS_THROUGH + "share"),
                c.getLong(PASS_THROUGH + "window.ms"), c.getInt(PASS_THROUGH + "memory"), limits,
                weight(c, PASS_THROUGH)));
        }
        long halfLife = c.getLong(FEEDBACK + "half.life.ms");
        double prior = c.getDouble(FEEDBACK + "prior.transactions");
        if (feedback && on(c, FEEDBACK_MERCHANT) && fields.has(Input.MERCHANT)) {
            rules.add(new FeedbackRule(Role.MERCHANT, c.getInt(FEEDBACK_MERCHANT + "min.reports"),
                c.getDouble(FEEDBACK_MERCHANT + "min.share"), prior, c.getDouble(FEEDBACK_MERCHANT + "confidence"),
                c.getLong(FEEDBACK_MERCHANT + "half.life.ms"), true, limits, weight(c, FEEDBACK_MERCHANT)));
        }
        if (feedback && on(c, FEEDBACK_CARD) && fields.has(Input.CARD)) {
            rules.add(new FeedbackRule(Role.CARD, c.getInt(FEEDBACK_CARD + "min.reports"),
                c.getDouble(FEEDBACK_CARD + "min.share"), prior, halfLife, false, limits, weight(c, FEEDBACK_CARD)));
        }
        if (feedback && on(c, FEEDBACK_AMOUNT) && fields.has(Input.AMOUNT)) {
            FeedbackRule merchant = find(rules, FeedbackRule.class, FeedbackRule.name(Role.MERCHANT));
            rules.add(new AmountFraudRateRule(c.getInt(FEEDBACK_AMOUNT + "bands.per.octave"),
                c.getInt(FEEDBACK_AMOUNT + "min.reports"), c.getDouble(FEEDBACK_AMOUNT + "min.share"),
                c.getDouble(FEEDBACK_AMOUNT + "confidence"), c.getLong(FEEDBACK_AMOUNT + "half.life.ms"),
                merchant == null ? () -> 1 : merchant::ownShare, weight(c, FEEDBACK_AMOUNT)));
        }
        RepeatRule repeat = find(rules, RepeatRule.class, RepeatRule.NAME);
        if (on(c, REPEATING_MERCHANT) && repeat != null) {
            rules.add(new RepeatingMerchantRule(repeat,
                find(rules, FeedbackRule.class, FeedbackRule.name(Role.MERCHANT)), c.getInt(REPEATING_MERCHANT + "min.repeats"),
                c.getDouble(REPEATING_MERCHANT + "min.share"), c.getLong(REPEATING_MERCHANT + "half.life.ms"), limits,
                weight(c, REPEATING_MERCHANT)));
        }
        FeedbackRule merchantRate = find(rules, FeedbackRule.class, FeedbackRule.name(Role.MERCHANT));
        if (on(c, REPORTED_REPEAT) && repeat != null && merchantRate != null) {
            rules.add(new ReportedRepeatRule(repeat, merchantRate, weight(c, REPORTED_REPEAT)));
        }
        return rules;
    }

    private static <T extends Rule> T find(List<Rule> rules, Class<T> type, String name) {
        for (Rule r : rules) {
            if (type.isInstance(r) && r.name().equals(name)) {
                return type.cast(r);
            }
        }
        return null;
    }

    private static boolean on(AbstractConfig c, String prefix) {
        return c.getBoolean(prefix + ENABLED);
    }

    private static double weight(AbstractConfig c, String prefix) {
        return c.getDouble(prefix + WEIGHT);
    }

    private static Role key(AbstractConfig c, String prefix, FraudFlagConfig fields) {
        return role(c, prefix + KEY, fields, prefix);
    }

    /** A rule's second role ({@code <prefix>field}), which must differ from its key. */
    private static Role field(AbstractConfig c, String prefix, Role key, FraudFlagConfig fields) {
        Role role = role(c, prefix + "field", fields, prefix);
        if (role == key) {
            throw new ConfigException(prefix + "field", role.label(), "must differ from " + prefix + KEY);
        }
        return role;
    }

    /** A role whose field must be configured, since the rule is on. */
    private static Role role(AbstractConfig c, String name, FraudFlagConfig fields, String prefix) {
        Role role = Role.of(c.getString(name));
        Input input = Input.of(role);
        if (!fields.has(input)) {
            throw new ConfigException(input.configKey(), "", "is empty, but " + name + " is " + role.label()
                + "; set " + input.configKey() + " or " + prefix + ENABLED + "=false");
        }
        return role;
    }
}
