package katapult.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import katapult.config.Config.JobAssign;

/**
 * Spreads runs over instances. {@code multi_knapsack} fills instances in proportion to their cpus, biggest runs
 * first; {@code random} picks any instance that fits, reproducibly for a project. Runs already placed stay put
 * and count as load.
 */
public final class Assigner {

    private Assigner() {
    }

    /** A run to place and the cpus it holds. */
    public record Item(String uid, int cpus) { }

    /**
     * @param existingLoad cpus already placed on each instance
     * @return uid → instance name for every item
     * @throws IllegalArgumentException when an item fits no instance (the binder should have caught it)
     */
    public static Map<String, String> assign(List<Item> items, List<InstancePlan> instances,
                                             Map<String, Integer> existingLoad, JobAssign algorithm, long seed) {
        Map<String, Integer> load = new HashMap<>(existingLoad);
        Map<String, String> placed = new LinkedHashMap<>();
        List<Item> order = new ArrayList<>(items);
        if (algorithm == JobAssign.MULTI_KNAPSACK) {
            order.sort(Comparator.comparingInt(Item::cpus).reversed());
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (Item item : order) {
            List<InstancePlan> fitting = instances.stream().filter(i -> i.cpus() >= item.cpus()).toList();
            if (fitting.isEmpty()) {
                throw new IllegalArgumentException("run " + item.uid() + " needs " + item.cpus()
                        + " cpus and no instance has that many");
            }
            InstancePlan chosen = algorithm == JobAssign.RANDOM
                    ? fitting.get(random.nextInt(fitting.size()))
                    : fitting.stream().min(Comparator.comparingDouble(
                            (InstancePlan i) -> (load.getOrDefault(i.name(), 0) + item.cpus()) / (double) i.cpus()))
                            .orElseThrow();
            load.merge(chosen.name(), item.cpus(), Integer::sum);
            placed.put(item.uid(), chosen.name());
        }
        return placed;
    }
}
