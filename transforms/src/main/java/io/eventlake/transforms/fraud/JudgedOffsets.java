package io.eventlake.transforms.fraud;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * The verdicts a sink task gave, per topic-partition by offset: Kafka hands a sink task the records of a partition in
 * offset order, and hands them again from an earlier offset when the sink rewinds (a commit failed and the sink
 * called {@code context.offset}, or the consumer fell back to the committed offset). A record at or below the highest
 * offset judged for its partition is such a replay: it gets the verdict it got the first time and is not counted into
 * the rules' state again (velocity, distinct counts and profiles would count it twice). Per partition, the offset
 * watermark and a ring of the last {@code capacity} verdicts (offset, score, fired rules and flag: 20 bytes each,
 * grown as needed); a replayed offset older than the ring can only be judged again (counted twice).
 * Not thread-safe: the task thread's.
 */
final class JudgedOffsets {

    /** What is known of a record's offset. */
    enum Seen {
        /** Above the partition's watermark: judge it. */
        NEW,
        /** Judged before; {@link #score()}, {@link #fired()}, {@link #flagged()} hold its verdict. */
        KNOWN,
        /** At or below the watermark but no longer in the ring (or never delivered): it can only be judged again. */
        FORGOTTEN
    }

    private static final int FIRST_CAPACITY = 1024;

    private final int capacity;
    private final Map<TopicPartition, Ring> partitions = new HashMap<>();
    /** The last partition looked up: a sink's records come in runs of one partition, so most skip the map. */
    private String lastTopic;
    private int lastPartition;
    private Ring last;
    private double score;
    private int fired;
    private boolean flagged;

    /** @param capacity verdicts kept per partition */
    JudgedOffsets(int capacity) {
        this.capacity = capacity;
    }

    /** Whether the record at {@code offset} of the partition was judged; when {@link Seen#KNOWN}, loads its verdict. */
    Seen seen(String topic, int partition, long offset) {
        Ring ring = ring(topic, partition, false);
        if (ring == null || offset > ring.highest) {
            return Seen.NEW;
        }
        int i = ring.find(offset);
        if (i < 0) {
            return Seen.FORGOTTEN;
        }
        score = ring.scores[i];
        fired = ring.fired[i] & Integer.MAX_VALUE;
        flagged = ring.fired[i] < 0;
        return Seen.KNOWN;
    }

    /** Remembers the verdict of a record judged above its partition's watermark. */
    void judged(String topic, int partition, long offset, Verdict v) {
        ring(topic, partition, true).add(offset, v.score, v.fired | (v.flagged ? Integer.MIN_VALUE : 0));
    }

    private Ring ring(String topic, int partition, boolean create) {
        if (last != null && partition == lastPartition && topic.equals(lastTopic)) {
            return last;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        Ring ring = create ? partitions.computeIfAbsent(tp, p -> new Ring()) : partitions.get(tp);
        if (ring != null) {
            lastTopic = topic;
            lastPartition = partition;
            last = ring;
        }
        return ring;
    }

    double score() {
        return score;
    }

    int fired() {
        return fired;
    }

    boolean flagged() {
        return flagged;
    }

    /** Verdicts kept, all partitions. */
    long size() {
        long n = 0;
        for (Ring r : partitions.values()) {
            n += r.size;
        }
        return n;
    }

    void clear() {
        partitions.clear();
        last = null;
        lastTopic = null;
    }

    /** One partition's verdicts, oldest first, offsets strictly increasing. */
    private final class Ring {
        long[] offsets = new long[Math.min(FIRST_CAPACITY, capacity)];
        double[] scores = new double[offsets.length];
        int[] fired = new int[offsets.length];
        int head;
        int size;
        long highest = Long.MIN_VALUE;

        void add(long offset, double score, int firedAndFlag) {
            if (size == offsets.length && offsets.length < capacity) {
                grow();
            }
            int at;
            if (size == offsets.length) {
                at = head;
                head = (head + 1) % offsets.length;
            } else {
                at = (head + size) % offsets.length;
                size++;
            }
            offsets[at] = offset;
            scores[at] = score;
            fired[at] = firedAndFlag;
            highest = offset;
        }

        private void grow() {
            int n = (int) Math.min(capacity, 2L * offsets.length);
            long[] o = new long[n];
            double[] s = new double[n];
            int[] f = new int[n];
            for (int i = 0; i < size; i++) {
                int from = (head + i) % offsets.length;
                o[i] = offsets[from];
                s[i] = scores[from];
                f[i] = fired[from];
            }
            offsets = o;
            scores = s;
            fired = f;
            head = 0;
        }

        /** The slot of {@code offset}, or -1. */
        int find(long offset) {
            int lo = 0;
            int hi = size - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long at = offsets[(head + mid) % offsets.length];
                if (at < offset) {
                    lo = mid + 1;
                } else if (at > offset) {
                    hi = mid - 1;
                } else {
                    return (head + mid) % offsets.length;
                }
            }
            return -1;
        }
    }
}
