package io.eventlake.transforms.fraud.state;

/**
 * The distinct values (devices, cards) a key has used recently, as 64-bit hashes with the latest event time each was
 * seen at; at most {@code capacity} of them, the one seen longest ago replaced first. Hashes, not the values, so the
 * state holds no reference to record data: 32 bytes per slot, all in one array. Two values sharing a 64-bit hash count as one, which
 * is negligible at these sizes.
 */
public final class RecentValues extends KeyedState {

    /** Per value, side by side in one array (adjacent cache lines): hash, last seen, first seen, novel (0/1). */
    private static final int STRIDE = 4;
    private static final int HASH = 0;
    private static final int LAST = 1;
    private static final int FIRST = 2;
    private static final int NOVEL = 3;

    private final long[] slots;
    private final int capacity;
    private int size;
    private int events;

    public RecentValues(int capacity) {
        this.capacity = capacity;
        this.slots = new long[capacity * STRIDE];
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
            if (slots[i * STRIDE + LAST] >= fromMs) {
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
        return i >= 0 && slots[i * STRIDE + NOVEL] != 0 && timeMs - slots[i * STRIDE + FIRST] <= youngMs;
    }

    public void add(long hash, long timeMs) {
        add(hash, timeMs, false);
    }

    /** Records a sighting; {@code isNovel} marks a value first seen now as novel (a new device of a known user). */
    public void add(long hash, long timeMs, boolean isNovel) {
        events++;
        int i = indexOf(hash);
        if (i >= 0) {
            int at = i * STRIDE;
            if (timeMs > slots[at + LAST]) {
                slots[at + LAST] = timeMs;
            }
            if (timeMs < slots[at + FIRST]) {
                slots[at + FIRST] = timeMs;
            }
            return;
        }
        if (size < capacity) {
            set(size, hash, timeMs, isNovel);
            size++;
            return;
        }
        int oldest = 0;
        for (int k = 1; k < size; k++) {
            if (slots[k * STRIDE + LAST] < slots[oldest * STRIDE + LAST]) {
                oldest = k;
            }
        }
        if (timeMs > slots[oldest * STRIDE + LAST]) {
            set(oldest, hash, timeMs, isNovel);
        }
    }

    private void set(int i, long hash, long timeMs, boolean isNovel) {
        int at = i * STRIDE;
        slots[at + HASH] = hash;
        slots[at + LAST] = timeMs;
        slots[at + FIRST] = timeMs;
        slots[at + NOVEL] = isNovel ? 1 : 0;
    }

    private int indexOf(long hash) {
        for (int i = 0; i < size; i++) {
            if (slots[i * STRIDE + HASH] == hash) {
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
