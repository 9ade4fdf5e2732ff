package katapult.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the {@code after} graph once, where the binder can still name lines: no job waits for itself, for a job
 * that does not exist, or in a circle. A config that passes gets its {@link JobGraph}, which the planner reuses.
 */
final class AfterCheck {

    /** A job of the file being bound: its name, the jobs it waits for, and the line its {@code after} is at. */
    record Node(String name, List<String> after, int line) {
    }

    private final Binding in;

    AfterCheck(Binding in) {
        this.in = in;
    }

    /**
     * @param nodes    the jobs of this file
     * @param allNames every job name a job may wait for
     * @param baseJobs the jobs of the config this file adds to (already checked)
     */
    void check(List<Node> nodes, Set<String> allNames, List<JobSpec> baseJobs) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (JobSpec j : baseJobs) {
            edges.put(j.name(), j.after());
        }
        Map<String, Node> drafted = new LinkedHashMap<>();
        for (Node d : nodes) {
            drafted.putIfAbsent(d.name(), d);
            edges.putIfAbsent(d.name(), known(d, allNames));
        }
        // cycles: depth-first search, reporting each cycle once at its first job in the file
        Map<String, Integer> state = new HashMap<>();
        for (String start : drafted.keySet()) {
            findCycle(start, edges, state, new ArrayList<>(), drafted);
        }
    }

    /** The jobs {@code d} waits for that exist; the others are reported. */
    private List<String> known(Node d, Set<String> allNames) {
        List<String> known = new ArrayList<>();
        for (String a : d.after()) {
            if (a.equals(d.name())) {
                in.problem(d.line(), "job '" + a + "' waits for itself ('" + in.spell(JobKeys.AFTER) + "')");
            } else if (!allNames.contains(a)) {
                Optional<String> close = DidYouMean.suggest(a, allNames);
                in.problem(d.line(), "job '" + d.name() + "' waits for '" + a + "' ('" + in.spell(JobKeys.AFTER)
                        + "'), which is not a job" + close.map(c -> "; did you mean '" + c + "'?").orElse(""));
            } else {
                known.add(a);
            }
        }
        return known;
    }

    private void findCycle(String node, Map<String, List<String>> edges, Map<String, Integer> state,
                           List<String> stack, Map<String, Node> drafted) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
            cycle.add(node);
            Node at = drafted.get(cycle.get(0));
            in.problem(at == null ? 0 : at.line(), "the jobs wait for each other in a circle ('"
                    + in.spell(JobKeys.AFTER) + "'): " + String.join(" → ", cycle));
            return;
        }
        state.put(node, 1);
        stack.add(node);
        for (String next : edges.getOrDefault(node, List.of())) {
            findCycle(next, edges, state, stack, drafted);
        }
        stack.remove(stack.size() - 1);
        state.put(node, 2);
    }
}
