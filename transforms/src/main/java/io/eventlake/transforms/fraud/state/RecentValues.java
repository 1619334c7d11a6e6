package io.eventlake.transforms.fraud.state;

/**
 * The distinct values (devices, cards) a key has used recently, as 64-bit hashes with the latest event time each was
 * seen at; at most {@code capacity} of them, the one seen longest ago replaced first. Hashes, not the values, so the
 * state holds no reference to record data: 25 bytes per slot. Two values sharing a 64-bit hash count as one, which
 * is negligible at these sizes.
 */
public final class RecentValues {

    private final long[] hashes;
    private final long[] lastSeen;
    private final long[] firstSeen;
    private final boolean[] novel;
    private int size;
    private int events;

    public RecentValues(int capacity) {
        this.hashes = new long[capacity];
        this.lastSeen = new long[capacity];
        this.firstSeen = new long[capacity];
        this.novel = new boolean[capacity];
    }

    /** Events with a value recorded so far. */
    public int events() {
        return events;
    }

    /** True when the value has been seen (and not replaced since). */
    public boolean contains(long hash) {
        return indexOf(hash) >= 0;
    }

    /** How many distinct values were seen in [fromMs, toMs]. */
    public int distinctIn(long fromMs, long toMs) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            // A value's last sighting after toMs (a late event being judged) still counts if it was already seen
            // before: only the latest time is kept, so this overcounts by at most the values first seen after toMs.
            if (lastSeen[i] >= fromMs) {
                n++;
            }
        }
        return n;
    }

    /**
     * True when the value was marked novel when first seen (see {@link #add(long, long, boolean)}) and was first seen
     * at most {@code youngMs} before {@code timeMs}.
     */
    public boolean novelSince(long hash, long timeMs, long youngMs) {
        int i = indexOf(hash);
        return i >= 0 && novel[i] && timeMs - firstSeen[i] <= youngMs;
    }

    public void add(long hash, long timeMs) {
        add(hash, timeMs, false);
    }

    /** Records a sighting; {@code isNovel} marks a value first seen now as novel (a new device of a known user). */
    public void add(long hash, long timeMs, boolean isNovel) {
        events++;
        int i = indexOf(hash);
        if (i >= 0) {
            if (timeMs > lastSeen[i]) {
                lastSeen[i] = timeMs;
            }
            if (timeMs < firstSeen[i]) {
                firstSeen[i] = timeMs;
            }
            return;
        }
        if (size < hashes.length) {
            set(size, hash, timeMs, isNovel);
            size++;
            return;
        }
        int oldest = 0;
        for (int k = 1; k < size; k++) {
            if (lastSeen[k] < lastSeen[oldest]) {
                oldest = k;
            }
        }
        if (timeMs > lastSeen[oldest]) {
            set(oldest, hash, timeMs, isNovel);
        }
    }

    private void set(int i, long hash, long timeMs, boolean isNovel) {
        hashes[i] = hash;
        lastSeen[i] = timeMs;
        firstSeen[i] = timeMs;
        novel[i] = isNovel;
    }

    private int indexOf(long hash) {
        for (int i = 0; i < size; i++) {
            if (hashes[i] == hash) {
                return i;
            }
        }
        return -1;
    }

    /** A 64-bit hash of a value (its string form), stable across JVMs. */
    public static long hash(Object value) {
        String s = value instanceof String str ? str : String.valueOf(value);
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        // Finalise (SplitMix64) so FNV's weak low bits do not matter.
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
