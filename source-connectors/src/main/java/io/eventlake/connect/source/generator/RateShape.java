package io.eventlake.connect.source.generator;

/**
 * The shape of the generator's rate over time: a daily cosine around the mean (peak at a given UTC hour) times a
 * burst factor during periodic bursts. Pure arithmetic on the clock, so it is tested without waiting.
 */
record RateShape(double diurnalAmplitude, int peakHour, double burstFactor, long burstIntervalMs,
                 long burstDurationMs) {

    static final RateShape FLAT = new RateShape(0, 0, 1, 1, 0);

    private static final double DAY_MS = 86_400_000.0;

    /** The factor the mean rate is multiplied by at {@code nowMs}. */
    double factor(long nowMs) {
        double f = 1;
        if (diurnalAmplitude > 0) {
            double hour = Math.floorMod(nowMs, (long) DAY_MS) / 3_600_000.0;
            f *= 1 + diurnalAmplitude * Math.cos(2 * Math.PI * (hour - peakHour) / 24);
        }
        if (burstFactor > 1 && Math.floorMod(nowMs, burstIntervalMs) < burstDurationMs) {
            f *= burstFactor;
        }
        return f;
    }
}
