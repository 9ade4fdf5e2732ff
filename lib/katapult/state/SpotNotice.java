package katapult.state;

/**
 * A spot interruption notice one instance got, as Katapult learned it from the runs its agent reported PREEMPTED.
 * Kept in the state so that placement avoids the instance while it goes away (same generation) and so that
 * {@code spot_fallback} counts an entry's preemptions across restarts.
 *
 * @param instance   the instance's name
 * @param generation its generation when the notice came: a replacement (a later generation) is a new machine
 * @param entry      the config entry it was made from
 * @param reason     what its agent said (the notice time)
 */
public record SpotNotice(String instance, int generation, String entry, String reason) {
}
