package io.eventlake.transforms.fraud.state;

/**
 * The latest {@code capacity} amounts of one key with their event times, sorted by time, so that "how much in
 * [from, to]" is answered exactly while the key has at most {@code capacity} amounts in the window, whatever order
 * they arrived in. When full, the oldest is dropped; a late amount older than every kept one is not kept. 16 bytes
 * per amount.
 */
public final class RecentAmounts extends KeyedState {

    private final long[] times;
    private final double[] amounts;
    private int size;

    public RecentAmounts(int capacity) {
        this.times = new long[capacity];
        this.amounts = new double[capacity];
    }

    public void add(long timeMs, double amount) {
        int i = size;
        while (i > 0 && times[i - 1] > timeMs) {
            i--;
        }
        if (size < times.length) {
            System.arraycopy(times, i, times, i + 1, size - i);
            System.arraycopy(amounts, i, amounts, i + 1, size - i);
            size++;
        } else if (i == 0) {
            return;
        } else {
            System.arraycopy(times, 1, times, 0, i - 1);
            System.arraycopy(amounts, 1, amounts, 0, i - 1);
            i--;
        }
        times[i] = timeMs;
        amounts[i] = amount;
    }

    /** The sum of the kept amounts with a time in [fromMs, toMs]. */
    public double sum(long fromMs, long toMs) {
        double sum = 0;
        for (int i = size - 1; i >= 0 && times[i] >= fromMs; i--) {
            if (times[i] <= toMs) {
                sum += amounts[i];
            }
        }
        return sum;
    }

    public int size() {
        return size;
    }
}
