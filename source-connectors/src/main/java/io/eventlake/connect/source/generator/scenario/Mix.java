package io.eventlake.connect.source.generator.scenario;

import java.util.SplittableRandom;

/** Deterministic hashing and random streams: every value the generator makes is a function of the seed. */
public final class Mix {

    private Mix() {
    }

    /** SplitMix64's finaliser: a bijection on 64 bits that scatters neighbouring inputs. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static long mix(long a, long b) {
        return mix(a * 0x9E3779B97F4A7C15L + mix(b));
    }

    public static long mix(long a, long b, long c) {
        return mix(mix(a, b), c);
    }

    /** A random stream for one (seed, salt, subject): the same arguments give the same stream in every JVM. */
    public static SplittableRandom random(long seed, long salt, long subject) {
        return new SplittableRandom(mix(seed, salt, subject));
    }

    /** A uniform double in [0, 1) from a hash. */
    public static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    /** A log-normal value with the given median and spread (sigma of the underlying normal). */
    public static double logNormal(SplittableRandom random, double median, double sigma) {
        return median * Math.exp(sigma * gaussian(random));
    }

    /** A standard normal value (Box-Muller, one of the pair). */
    public static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A Poisson count with mean {@code lambda} (Knuth; lambda is small here). */
    public static int poisson(SplittableRandom random, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        double limit = Math.exp(-lambda);
        double p = random.nextDouble();
        int k = 0;
        while (p > limit) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }

    /** A short stable hex name for an entity, e.g. {@code card-3f9a0c2b11d4}. */
    public static String name(String prefix, long seed, long salt, long id) {
        return prefix + Long.toHexString(mix(seed, salt, id) & 0xFFFFFFFFFFFFL | 0x1000000000000L).substring(1);
    }
}
