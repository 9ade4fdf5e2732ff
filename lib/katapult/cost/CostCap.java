package katapult.cost;

import java.time.Duration;

/**
 * The {@code max_cost} decision: the cap is reached when the spend so far plus one more poll period at the current
 * burn rate would pass it, so the instances stop before it is passed rather than after.
 */
public final class CostCap {

    private CostCap() {
    }

    /** @param maxCost dollars, null: no cap */
    public static boolean reached(Double maxCost, Spend spend, Duration pollPeriod) {
        if (maxCost == null) {
            return false;
        }
        double next = spend.burnPerHour() * pollPeriod.toMillis() / 3_600_000.0;
        return spend.dollars() + next >= maxCost;
    }
}
