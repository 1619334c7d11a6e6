package io.eventlake.transforms.fraud.state;

/**
 * The latest {@code capacity} charges of one key (a card) as event time and a 64-bit hash of where they were made
 * (the merchant), side by side in one array and sorted by time, so that "how many charges at this merchant in [from,
 * to]" is answered exactly while the key has at most {@code capacity} charges in the window, whatever order they
 * arrived in. When full, the oldest charge is dropped; a late charge older than every kept one is not kept. 16 bytes
 * per charge.
 */
public final class RecentCharges extends KeyedState {

    private final long[] charges;
    private final int capacity;
    private int size;

    public RecentCharges(int capacity) {
        this.capacity = capacity;
        this.charges = new long[2 * capacity];
    }

    public void add(long timeMs, long place) {
        int i = size;
        while (i > 0 && charges[2 * (i - 1)] > timeMs) {
            i--;
        }
        if (size < capacity) {
            System.arraycopy(charges, 2 * i, charges, 2 * (i + 1), 2 * (size - i));
            size++;
        } else if (i == 0) {
            return;
        } else {
            i--;
            System.arraycopy(charges, 2, charges, 0, 2 * i);
        }
        charges[2 * i] = timeMs;
        charges[2 * i + 1] = place;
    }

    /** How many kept charges at {@code place} lie in [fromMs, toMs]. */
    public int count(long place, long fromMs, long toMs) {
        int n = 0;
        for (int i = size - 1; i >= 0; i--) {
            long t = charges[2 * i];
            if (t < fromMs) {
                break;
            }
            if (t <= toMs && charges[2 * i + 1] == place) {
                n++;
            }
        }
        return n;
    }

    public int size() {
        return size;
    }
}
