package katapult.provider;

/** What a machine's own shutdown does to it, by its provider: the agent on it decides whether to shut it down. */
public enum ShutdownEffect {
    /** The provider does not own the machine (this one, an SSH host): it is never shut down. */
    NONE,
    /** Stopped, its disk and the results on it kept (an on-demand cloud instance). */
    STOP,
    /** Destroyed with its disk (a one-time spot instance). */
    TERMINATE
}
