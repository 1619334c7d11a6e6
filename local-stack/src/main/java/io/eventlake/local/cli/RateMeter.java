package io.eventlake.local.cli;

/** The rate of a growing count between two progress lines, e.g. {@code 1,020/s}. */
final class RateMeter {

    private long lastValue = -1;
    private long lastMillis;

    /** The rate since the previous call ({@code "-/s"} on the first), and remembers this one. */
    String next(long value, long nowMillis) {
        String rate = lastValue < 0 || nowMillis <= lastMillis ? "-/s"
            : String.format("%,d/s", Math.round(Math.max(0, value - lastValue) * 1000.0 / (nowMillis - lastMillis)));
        lastValue = value;
        lastMillis = nowMillis;
        return rate;
    }
}
