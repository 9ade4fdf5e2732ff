package katapult.cost;

import java.util.List;
import java.util.Map;

/**
 * What the project's instances have cost so far and cost now.
 *
 * @param dollars     spent so far on instances with a known price
 * @param burnPerHour $/hour of the instances running now
 * @param hourly      each instance's $/hour (by instance name), for the runs' shares
 * @param unknown     instances that ran without a known price (not in the amounts)
 */
public record Spend(double dollars, double burnPerHour, Map<String, Double> hourly, List<String> unknown) {

    public static final Spend NONE = new Spend(0, 0, Map.of(), List.of());

    public Spend {
        hourly = Map.copyOf(hourly);
        unknown = List.copyOf(unknown);
    }

    public String line() {
        return "spent so far: " + Money.dollars(dollars) + "; burn rate " + Money.perHour(burnPerHour)
                + (unknown.isEmpty() ? "" : "; not counted (price unknown): " + String.join(", ", unknown));
    }
}
