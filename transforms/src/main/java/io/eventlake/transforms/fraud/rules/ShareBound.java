package io.eventlake.transforms.fraud.rules;

/**
 * The lower confidence bound of a share observed as {@code k} of {@code n} (Wilson's score interval): the share one
 * can be {@code confidence} sure of. It scales with the sample by itself: 3 confirmed frauds of 3 known transactions
 * give 0.53 at 95 %, 3 of 100 give 0.012, so a quiet merchant whose few known payments are all fraud stands out
 * at once, and a busy one needs a high share over many.
 */
final class ShareBound {

    private ShareBound() {
    }

    /**
     * The one-sided normal quantile of {@code confidence} (in [0.5, 1)): 1.645 for 0.95. Abramowitz and Stegun
     * 26.2.23, error under 4.5e-4: enough for a confidence level, computed once at configuration.
     */
    static double z(double confidence) {
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in [0.5, 1): " + confidence);
        }
        double p = 1 - confidence;
        if (p == 0.5) {
            return 0;
        }
        double t = Math.sqrt(-2 * Math.log(p));
        return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t
            + 0.001308 * t * t * t);
    }

    /** Wilson's lower bound of the share {@code k / n} at the normal quantile {@code z}; 0 when n is 0. */
    static double lower(double k, double n, double z) {
        if (!(n > 0) || !(k > 0)) {
            return 0;
        }
        n = Math.max(n, k);
        double p = k / n;
        double z2 = z * z;
        double centre = p + z2 / (2 * n);
        double spread = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return Math.max(0, (centre - spread) / (1 + z2 / n));
    }
}
