package katapult.util;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before the next attempt after consecutive failures: {@code first}, doubled after each failure, at
 * most {@code max}. With half jitter the wait is a random point in the upper half of that, so that many callers
 * throttled together do not all retry at the same instant.
 *
 * @param first      the wait after the first failure
 * @param max        the longest wait
 * @param halfJitter whether to draw the wait from [delay/2, delay]
 */
public record Backoff(Duration first, Duration max, boolean halfJitter) {

    /** Doubles far past any sensible max already; keeps the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 30;

    public Backoff {
        if (first.isNegative() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= first <= max, got " + first + ", " + max);
        }
    }

    /** Exponential, capped, without jitter. */
    public static Backoff exponential(Duration first, Duration max) {
        return new Backoff(first, max, false);
    }

    public Backoff withHalfJitter() {
        return new Backoff(first, max, true);
    }

    /** The wait after {@code failures} consecutive failures (1 for the first; below 1 counts as 1). */
    public Duration delay(int failures) {
        int doublings = Math.min(MAX_DOUBLINGS, Math.max(0, failures - 1));
        long nanos = first.toNanos() << doublings;
        long capped = nanos < 0 || nanos > max.toNanos() ? max.toNanos() : nanos;
        if (!halfJitter || capped < 2) {
            return Duration.ofNanos(capped);
        }
        return Duration.ofNanos(capped / 2 + ThreadLocalRandom.current().nextLong(capped - capped / 2 + 1));
    }
}
