package io.eventlake.transforms.fraud.rules;

/**
 * A rule whose evidence is an observed fraud share (a confirmed-fraud rate that the reports tell, or its lower bound),
 * not a level short of a threshold: it adds the same strength whatever else fired, as an observation is not a near
 * miss.
 */
public abstract class ShareRule extends Rule implements ReportRule {

    private double share;

    protected ShareRule(String name, double weight) {
        super(name, weight);
    }

    /** Sets the share observed for the event being judged (0 when there is none). */
    protected final void observe(double observed) {
        this.share = observed;
    }

    /** The share observed for the last event judged. */
    @Override
    public final double strength(double level) {
        return share;
    }

    /** The same share, whatever else fired. */
    @Override
    public final double uncorroboratedStrength(double level) {
        return share;
    }
}
