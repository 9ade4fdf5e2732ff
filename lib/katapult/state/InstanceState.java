package katapult.state;

import java.util.Locale;

/**
 * What a provider says of an instance, as the session decides on it. Providers and the state file speak the names
 * ({@code "RUNNING"}...); {@link #of} reads them, so that states written before still load.
 */
public enum InstanceState {
    PENDING, RUNNING, STOPPED, GONE,
    /** The provider itself could not be asked. */
    UNREACHABLE;

    /** The state a provider's status names; a status it does not give (or none) counts as gone. */
    public static InstanceState of(String status) {
        if (status != null) {
            for (InstanceState state : values()) {
                if (state.name().equals(status)) {
                    return state;
                }
            }
        }
        return GONE;
    }

    /** As said in messages: "stopped", "gone". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
