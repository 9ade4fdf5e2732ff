package katapult.session;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import katapult.plan.Plan;

/** The order of the plan's instances, so that whatever names instances is shown in that order (unplanned last). */
final class PlanOrder {

    private final Map<String, Integer> position = new HashMap<>();

    private PlanOrder(Plan plan) {
        for (int i = 0; i < plan.instances().size(); i++) {
            position.putIfAbsent(plan.instances().get(i).name(), i);
        }
    }

    static PlanOrder of(Plan plan) {
        return new PlanOrder(plan);
    }

    /** {@code items} sorted by the plan position of the instance each names; the sort is stable. */
    <T> List<T> sorted(List<T> items, Function<T, String> instanceName) {
        return items.stream()
                .sorted(Comparator.comparingInt(item -> position.getOrDefault(instanceName.apply(item), position.size())))
                .toList();
    }
}
