package katapult.state;

import java.time.Instant;
import java.util.Objects;

/**
 * That the project's session was handed to a remote maestro, kept beside {@code state.json} (as {@code maestro.json})
 * so that every later command on this machine knows the session is driven elsewhere. No marker: the maestro is
 * this machine (states written before the remote maestro have none).
 *
 * @param phase      how far the hand-off went
 * @param configFile the main config file the hand-off started from (on this machine)
 * @param instance   the maestro's instance record once known (null while STARTING, before it was found or made)
 * @param since      when the phase was entered (ISO-8601, UTC)
 */
public record MaestroMarker(Phase phase, String configFile, InstanceRecord instance, String since) {

    /** STARTING: a hand-off began and may be half done; HANDED_OFF: the maestro drives the session. */
    public enum Phase { STARTING, HANDED_OFF }

    public MaestroMarker {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(since, "since");
    }

    public static MaestroMarker starting(String configFile, Instant now) {
        return new MaestroMarker(Phase.STARTING, configFile, null, now.toString());
    }

    public MaestroMarker handedOff(InstanceRecord maestro, Instant now) {
        return new MaestroMarker(Phase.HANDED_OFF, configFile, maestro, now.toString());
    }

    public boolean handedOff() {
        return phase == Phase.HANDED_OFF;
    }

    public MaestroMarker withInstance(InstanceRecord maestro) {
        return new MaestroMarker(phase, configFile, maestro, since);
    }
}
