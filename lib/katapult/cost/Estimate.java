package katapult.cost;

import java.util.List;

/**
 * What the instances a command would start cost per hour, estimated before any is created.
 *
 * @param perHour   $/hour of the instances whose price is known
 * @param instances how many instances it counts
 * @param unknown   how many of them have no known price (not in {@code perHour})
 */
public record Estimate(double perHour, int instances, int unknown) {

    /** @param hourly each instance's $/hour, null when unknown */
    public static Estimate of(List<Double> hourly) {
        double sum = hourly.stream().filter(h -> h != null).mapToDouble(Double::doubleValue).sum();
        int unknown = (int) hourly.stream().filter(h -> h == null).count();
        return new Estimate(sum, hourly.size(), unknown);
    }

    public String line() {
        return "estimated cost: " + Money.perHour(perHour) + " for " + instances + " instance(s)"
                + (unknown == 0 ? "" : ", plus " + unknown + " at an unknown price");
    }
}
