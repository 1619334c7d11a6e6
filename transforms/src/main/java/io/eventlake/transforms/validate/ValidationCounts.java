package io.eventlake.transforms.validate;

/**
 * What one {@link Validate} instance has seen so far. Records exclude tombstones, which pass untouched; every
 * record is counted once as valid or by what happened to it:
 * {@code records = valid + quarantined + dropped + tagged + failed}, and {@code invalid} is the sum of the last four.
 */
public record ValidationCounts(long records, long valid, long invalid, long quarantined, long dropped, long tagged,
                               long failed, long violations, long tombstones) {

    /** True when every record is accounted for: nothing is lost silently. */
    public boolean balanced() {
        return records == valid + quarantined + dropped + tagged + failed
            && invalid == quarantined + dropped + tagged + failed;
    }
}
