package io.eventlake.transforms.fraud.rules;

import io.eventlake.transforms.fraud.feedback.Report;

/**
 * A rule whose evidence is an observed fraud share (a confirmed-fraud rate that the reports tell, or its lower bound),
 * not a level short of a threshold: it takes every report in, adds the same strength whatever else fired (an
 * observation is not a near miss), and its weight is not learned from the reports, which already are its evidence.
 */
public abstract class ShareRule extends Rule {

    private double share;
    private int context;

    protected ShareRule(String name, double weight) {
        super(name, weight);
    }

    /** Records a report (from the feedback consumer, on the task thread). */
    public abstract void report(Report r);

    /** Sets the share observed for the event being judged (0 when there is none). */
    protected final void observe(double observed) {
        observe(observed, 0);
    }

    /**
     * Sets the share observed for the event being judged, and its context: a small number that tells shares of the
     * same size apart ({@link #context()}).
     */
    protected final void observe(double observed, int context) {
        this.share = observed;
        this.context = context;
    }

    /**
     * The context of the last share observed, in [0, {@link io.eventlake.transforms.fraud.rules.ShareRule#CONTEXTS}):
     * the reports calibrate a share by its size and its context (feedback.learn.shares). 0 unless a rule says more.
     */
    public final int context() {
        return context;
    }

    /** Contexts a share can have at most. */
    public static final int CONTEXTS = 6;

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
