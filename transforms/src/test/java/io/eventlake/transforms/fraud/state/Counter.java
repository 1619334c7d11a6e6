package io.eventlake.transforms.fraud.state;

/** A test state: a number. */
final class Counter extends KeyedState {

    private int n;

    int get() {
        return n;
    }

    void set(int v) {
        n = v;
    }

    int incrementAndGet() {
        return ++n;
    }

    int addAndGet(int d) {
        n += d;
        return n;
    }
}
