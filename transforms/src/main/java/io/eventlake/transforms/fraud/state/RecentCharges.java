package io.eventlake.transforms.fraud.state;

/**
 * The latest {@code capacity} charges of one key (a card) as event time and a 64-bit hash of where they were made
 * (the merchant), kept sorted by time, so that "how many charges at this merchant in [from, to]" is answered exactly
 * while the key has at most {@code capacity} charges in the window, whatever order they arrived in. When full, the
 * oldest charge is dropped; a late charge older than every kept one is not kept. 16 bytes per charge.
 */
public final class RecentCharges {

    private final long[] times;
    private final long[] places;
    private int size;

    public RecentCharges(int capacity) {
        this.times = new long[capacity];
        this.places = new long[capacity];
    }

    public void add(long timeMs, long place) {
        int i = size;
        while (i > 0 && times[i - 1] > timeMs) {
            i--;
        }
        if (size < times.length) {
            System.arraycopy(times, i, times, i + 1, size - i);
            System.arraycopy(places, i, places, i + 1, size - i);
            size++;
        } else if (i == 0) {
            return;
        } else {
            i--;
            System.arraycopy(times, 1, times, 0, i);
            System.arraycopy(places, 1, places, 0, i);
        }
        times[i] = timeMs;
        places[i] = place;
    }

    /** How many kept charges at {@code place} lie in [fromMs, toMs]. */
    public int count(long place, long fromMs, long toMs) {
        int n = 0;
        for (int i = size - 1; i >= 0; i--) {
            long t = times[i];
            if (t < fromMs) {
                break;
            }
            if (t <= toMs && places[i] == place) {
                n++;
            }
        }
        return n;
    }

    public int size() {
        return size;
    }
}
