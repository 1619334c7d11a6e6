package io.eventlake.transforms.fraud;

import java.util.List;

/**
 * The judgement of one record: the score (0-1, rising with risk), whether it reaches the flag threshold, and the
 * rules that fired. One instance is reused per task; {@link #reasons()} returns a shared immutable list.
 */
public final class Verdict {

    private final ReasonLists lists;
    double score;
    boolean flagged;
    int fired;

    Verdict(ReasonLists lists) {
        this.lists = lists;
    }

    public double score() {
        return score;
    }

    public boolean flagged() {
        return flagged;
    }

    /** The names of the rules that fired, in rule order; an empty list when none did. */
    public List<String> reasons() {
        return lists.of(fired);
    }

    @Override
    public String toString() {
        return "Verdict{score=" + score + ", flagged=" + flagged + ", reasons=" + reasons() + "}";
    }
}
