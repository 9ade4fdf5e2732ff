package katapult.cost;

import java.util.HashMap;
import java.util.Map;

/**
 * The project's spend and each run's share of it.
 *
 * @param runs each run's share in dollars, by uid; a run without one (not started, price unknown) is absent
 */
public record ProjectCost(Spend spend, Map<String, Double> runs) {

    public ProjectCost {
        runs = Map.copyOf(new HashMap<>(runs));
    }

    /** The run's share, or null. */
    public Double run(String uid) {
        return runs.get(uid);
    }
}
