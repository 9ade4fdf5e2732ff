package katapult.cost;

/**
 * Whether a command may create instances whose estimated cost is {@code perHour}: at or under the threshold, or
 * told {@code --yes}, it goes on; above it, it asks on a terminal and, without one, refuses.
 */
public final class Confirmation {

    public enum Decision { GO, ASK, REFUSE }

    private Confirmation() {
    }

    public static Decision decide(Estimate estimate, double threshold, boolean yes, boolean terminal) {
        if (yes || estimate.perHour() <= threshold) {
            return Decision.GO;
        }
        return terminal ? Decision.ASK : Decision.REFUSE;
    }
}
