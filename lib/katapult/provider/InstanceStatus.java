package katapult.provider;

/** The provider-side statuses an {@link katapult.state.InstanceRecord} carries. */
public final class InstanceStatus {
    public static final String PENDING = "PENDING";
    public static final String RUNNING = "RUNNING";
    public static final String STOPPED = "STOPPED";
    public static final String GONE = "GONE";

    private InstanceStatus() {
    }
}
