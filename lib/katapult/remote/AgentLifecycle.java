package katapult.remote;

import java.time.Duration;

/**
 * What the agent needs to judge its machine's lifecycle (lifecycle.sh), written to the instance's {@code lifecycle}
 * file at install: what a shutdown does to the machine and the rule's delays.
 *
 * @param shutdown         what a shutdown does; NONE: the agent never shuts the machine down
 * @param idleStop         idle time before an idle stop; {@link Duration#ZERO} when off
 * @param heartbeatTimeout silence from Katapult before the dead-man switch
 * @param abandonAfter     silence after which results that a shutdown destroys are given up
 */
public record AgentLifecycle(Protocol.Shutdown shutdown, Duration idleStop, Duration heartbeatTimeout,
                             Duration abandonAfter) {

    /** A machine the agent never shuts down (the defaults of the delays, unused). */
    public static final AgentLifecycle NEVER = new AgentLifecycle(Protocol.Shutdown.NONE, Duration.ZERO,
            Duration.ofMinutes(30), Duration.ofHours(24));

    /** The delays in whole seconds (rounded up, at least 1 but for an idle stop that is off), as d_lifecycle takes them. */
    long[] seconds() {
        return new long[] {idleStop.isZero() ? 0 : atLeastOne(idleStop), atLeastOne(heartbeatTimeout),
            atLeastOne(abandonAfter)};
    }

    /** The lifecycle file as d_lifecycle writes it ("name value" lines), for a machine set up without deploy.sh. */
    public String asFile() {
        long[] s = seconds();
        return "shutdown " + shutdown.word() + "\nidle_stop " + s[0] + "\nheartbeat_timeout " + s[1]
                + "\nabandon_after " + s[2] + "\n";
    }

    private static long atLeastOne(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
