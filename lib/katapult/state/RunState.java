package katapult.state;

/**
 * Where a run is. WAIT also covers "not yet on its instance"; UNKNOWN means its instance cannot be reached; PREEMPTED
 * (transient) means its spot instance got an interruption notice and the run waits to be placed on another instance.
 */
public enum RunState {
    UNKNOWN, WAIT, QUEUE, IDLE, RUNNING, DONE, ABORTED, PREEMPTED;

    public boolean finished() {
        return this == DONE || this == ABORTED;
    }
}
