package io.eventlake.transforms.fraud.state;

import java.util.Arrays;

/**
 * The latest {@code capacity} event times of one key, kept sorted, so that "how many events in [from, to]" is
 * answered exactly up to {@code capacity}, whatever order the events arrived in: a late event is inserted at its
 * place. When full, the oldest time is dropped; a late event older than every kept time is not kept (it cannot
 * change a count that is already at capacity for the newer windows). 8 bytes per slot.
 */
public final class TimeRing extends KeyedState {

    private final long[] times;
    private int size;

    public TimeRing(int capacity) {
        this.times = new long[capacity];
    }

    public void add(long timeMs) {
        if (size < times.length) {
            int i = insertionPoint(timeMs);
            System.arraycopy(times, i, times, i + 1, size - i);
            times[i] = timeMs;
            size++;
        } else if (timeMs >= times[0]) {
            // Drop the oldest, insert in order.
            int i = insertionPoint(timeMs) - 1;
            System.arraycopy(times, 1, times, 0, i);
            times[i] = timeMs;
        }
    }

    /** How many kept times lie in [fromMs, toMs]. */
    public int count(long fromMs, long toMs) {
        int n = 0;
        for (int i = size - 1; i >= 0; i--) {
            long t = times[i];
            if (t < fromMs) {
                break;
            }
            if (t <= toMs) {
                n++;
            }
        }
        return n;
    }

    public int size() {
        return size;
    }

    private int insertionPoint(long timeMs) {
        // After equal times, so equal times keep arrival order; small arrays: linear from the end.
        int i = size;
        while (i > 0 && times[i - 1] > timeMs) {
            i--;
        }
        return i;
    }

    @Override
    public String toString() {
        return Arrays.toString(Arrays.copyOf(times, size));
    }
}
