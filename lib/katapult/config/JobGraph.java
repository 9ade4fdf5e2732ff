package katapult.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code after} graph of a bound config, checked by the binder (no unknown job, no circle): the job names in an
 * order where each comes after the jobs it waits for. The planner plans the jobs in this order.
 *
 * @param upstreamFirst every job's name, each after those of the jobs it waits for, otherwise in file order
 */
public record JobGraph(List<String> upstreamFirst) {

    public JobGraph {
        upstreamFirst = List.copyOf(upstreamFirst);
    }

    /** The graph of jobs whose {@code after} lists the binder has checked. */
    public static JobGraph of(List<JobSpec> jobs) {
        Map<String, JobSpec> byName = new LinkedHashMap<>();
        jobs.forEach(j -> byName.putIfAbsent(j.name(), j));
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (JobSpec job : jobs) {
            visit(job, byName, placed, ordered);
        }
        return new JobGraph(ordered);
    }

    private static void visit(JobSpec job, Map<String, JobSpec> byName, Set<String> placed, List<String> ordered) {
        if (job == null || !placed.add(job.name())) {
            return;
        }
        for (String upstream : job.after()) {
            visit(byName.get(upstream), byName, placed, ordered);
        }
        ordered.add(job.name());
    }

    /** {@code jobs} (those of this graph) in upstream-first order. */
    public List<JobSpec> order(List<JobSpec> jobs) {
        Map<String, JobSpec> byName = new LinkedHashMap<>();
        jobs.forEach(j -> byName.putIfAbsent(j.name(), j));
        return upstreamFirst.stream().map(byName::get).filter(j -> j != null).toList();
    }
}
