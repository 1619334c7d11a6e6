package io.eventlake.connect.source.generator.scenario;

import java.util.UUID;

/**
 * Event ids: version-4-shaped UUIDs whose low half holds a stream tag and the sequence number, so ids are unique
 * by construction within a (seed, stream) and across the streams of one seed (every scenario and the fraud reports
 * have their own tag); the high half is a hash of the seed, tag and sequence, so ids look random and streams of
 * different seeds do not share ids (up to a 2^-60 chance per equal sequence number).
 */
public final class EventIds {

    /** Sequence numbers up to 2^56 fit beside the tag. */
    public static final long MAX_SEQUENCE = (1L << 56) - 1;

    private EventIds() {
    }

    public static String of(long seed, int tag, long sequence) {
        if (sequence < 0 || sequence > MAX_SEQUENCE) {
            throw new IllegalArgumentException("sequence " + sequence + " is outside [0, 2^56)");
        }
        long high = Mix.mix(seed, tag, sequence) & 0xFFFFFFFFFFFF0FFFL | 0x4000L;
        long low = 0x8000000000000000L | ((long) (tag & 0x3F) << 56) | sequence;
        return new UUID(high, low).toString();
    }
}
