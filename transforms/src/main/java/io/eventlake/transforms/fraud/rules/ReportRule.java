package io.eventlake.transforms.fraud.rules;

import io.eventlake.transforms.fraud.feedback.Report;

/**
 * A rule whose evidence is what confirmed fraud reports say (an observed fraud share), not a threshold of its own: it
 * takes every report in, and its weight is not learned from the reports ({@code feedback.learn.weights}), which
 * already are its evidence.
 */
public interface ReportRule {

    /** Records a report (from the feedback consumer, on the task thread). */
    void report(Report r);
}
