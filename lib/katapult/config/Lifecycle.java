package katapult.config;

import java.time.Duration;

/**
 * When an instance shuts itself down (judged by the agent on it): after {@code idleStop} with nothing to do and every
 * result fetched; after {@code heartbeatTimeout} without word from Katapult while nothing runs; and, for an instance
 * whose shutdown would destroy unfetched results, only after {@code abandonAfter} without word.
 *
 * @param idleStop         {@link Duration#ZERO} when idle stop is off
 * @param heartbeatTimeout the dead-man switch's delay
 * @param abandonAfter     how long results that a shutdown would destroy are waited for
 */
public record Lifecycle(Duration idleStop, Duration heartbeatTimeout, Duration abandonAfter) {

    public static final Lifecycle DEFAULT = new Lifecycle(Duration.ofMinutes(10), Duration.ofMinutes(30),
            Duration.ofHours(24));

    /** This lifecycle with the values given (non-null) in place of its own. */
    public Lifecycle override(Duration newIdleStop, Duration newHeartbeatTimeout, Duration newAbandonAfter) {
        return new Lifecycle(newIdleStop != null ? newIdleStop : idleStop,
                newHeartbeatTimeout != null ? newHeartbeatTimeout : heartbeatTimeout,
                newAbandonAfter != null ? newAbandonAfter : abandonAfter);
    }

    public boolean idleStopOff() {
        return idleStop.isZero();
    }
}
