package io.synctriage.benchmarks.fleet;

/**
 * Stateless, seeded pseudo-randomness. An account's attributes (id, provider, link time…) are a pure
 * function of the seed and its index, so the generator never has to keep a million of them in memory, and
 * a per-account stream ({@link #next(long)}) gives each account its own reproducible sequence.
 */
final class Hashing {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hashing() {
    }

    /** SplitMix64's finaliser: a bijective, well-mixed 64-bit function. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A hash of (seed, index, salt). */
    static long hash(long seed, long index, long salt) {
        return mix(seed ^ mix(index * GOLDEN + mix(salt + GOLDEN)));
    }

    /** A uniform double in [0, 1) from 53 bits of {@code h}. */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** A uniform int in [0, bound). */
    static int below(long h, int bound) {
        return (int) Math.floorMod(h, (long) bound);
    }

    /** Advances a per-account SplitMix64 state. */
    static long advance(long state) {
        return state + GOLDEN;
    }

    /** The output of a SplitMix64 state (call after {@link #advance}). */
    static long next(long state) {
        return mix(state);
    }
}
