package katapult.state;

/** Where a run is. WAIT also covers "not yet on its instance"; UNKNOWN means its instance cannot be reached. */
public enum RunState {
    UNKNOWN, WAIT, QUEUE, IDLE, RUNNING, DONE, ABORTED;

    public boolean finished() {
        return this == DONE || this == ABORTED;
    }
}
