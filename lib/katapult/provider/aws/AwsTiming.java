package katapult.provider.aws;

import java.time.Duration;

/**
 * How long the aws provider waits and how hard it retries. The defaults suit EC2; tests shorten them through the
 * system properties {@code katapult.aws.<name>} (milliseconds).
 *
 * @param poll            between two looks at an instance that is changing state
 * @param waitLimit       longest wait for an instance to reach a state
 * @param notFoundGrace   how long an instance just launched may stay invisible (EC2 is eventually consistent)
 * @param retryBase       first backoff of a throttled call; doubles up to {@code retryMax}
 * @param retryMax        longest backoff
 * @param attempts        tries of a call that fails otherwise than by throttling, and of a throttled launch
 * @param billingMinimum  the time EC2 bills at least for each start of an instance (one minute; tests shorten it so
 *                        a spend grows within seconds)
 */
public record AwsTiming(Duration poll, Duration waitLimit, Duration notFoundGrace, Duration retryBase,
                        Duration retryMax, int attempts, Duration billingMinimum) {

    /** EC2's own billing minimum. */
    public AwsTiming(Duration poll, Duration waitLimit, Duration notFoundGrace, Duration retryBase,
                     Duration retryMax, int attempts) {
        this(poll, waitLimit, notFoundGrace, retryBase, retryMax, attempts, Duration.ofMinutes(1));
    }

    public static AwsTiming fromSystemProperties() {
        return new AwsTiming(
                millis("poll", 2_000),
                millis("waitLimit", 15 * 60_000),
                millis("notFoundGrace", 120_000),
                millis("retryBase", 200),
                millis("retryMax", 20_000),
                Integer.getInteger("katapult.aws.attempts", 8),
                millis("billingMinimum", 60_000));
    }

    private static Duration millis(String name, long fallback) {
        return Duration.ofMillis(Long.getLong("katapult.aws." + name, fallback));
    }
}
