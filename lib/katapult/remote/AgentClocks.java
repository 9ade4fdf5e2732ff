package katapult.remote;

/**
 * The clocks of an instance's lifecycle rule as its poll reports them (epoch seconds and seconds), each null when
 * the instance does not tell (an older poll.sh, a machine its agent never shuts down, a busy machine's idle clock).
 *
 * @param idleSince        since when the machine is idle, as the agent counts it (the later of: nothing busy, the
 *                         last fetch)
 * @param heardAt          when Katapult last spoke to it before this poll (the dead-man switch's clock)
 * @param idleStop         the idle stop's delay; 0 when it is off
 * @param heartbeatTimeout the dead-man switch's delay
 */
public record AgentClocks(Long idleSince, Long heardAt, Long idleStop, Long heartbeatTimeout) {

    public static final AgentClocks NONE = new AgentClocks(null, null, null, null);

    /** Whether the instance told anything (its agent judges its lifecycle). */
    public boolean known() {
        return heardAt != null || idleSince != null || idleStop != null;
    }
}
