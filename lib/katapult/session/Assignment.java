package katapult.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import katapult.config.Config.JobAssign;
import katapult.plan.Assigner;
import katapult.plan.InstancePlan;
import katapult.plan.Plan;
import katapult.plan.RunPlan;
import katapult.state.ProjectState;
import katapult.state.RunRecord;
import katapult.state.RunState;
import katapult.state.RunTransitions;

/**
 * Places the runs that have no instance (or one the config no longer has, or were preempted off theirs) and records
 * the placement. An instance going away after a spot interruption notice gets no run while another can take it.
 */
final class Assignment {

    private final Plan plan;
    private final StateKeeper keeper;

    Assignment(Plan plan, StateKeeper keeper) {
        this.plan = plan;
        this.keeper = keeper;
    }

    void assign(Set<String> instances, JobAssign algorithm, long seed) {
        Map<String, RunRecord> records = keeper.runsByUid();
        ProjectState state = keeper.get();
        List<Assigner.Item> items = new ArrayList<>();
        Map<String, Integer> load = new HashMap<>();
        for (RunPlan run : plan.runs()) {
            RunRecord record = records.get(run.uid());
            int cpus = run.job().spec().cpusReq();
            boolean placed = record.instance() != null && instances.contains(record.instance())
                    && record.state() != RunState.PREEMPTED;
            if (placed && !record.state().finished()) {
                load.merge(record.instance(), cpus, Integer::sum);
            } else if (!placed && !record.submitted() && !record.state().finished()) {
                items.add(new Assigner.Item(run.uid(), cpus));
            }
        }
        if (items.isEmpty()) {
            return;
        }
        Map<String, String> placement;
        try {
            placement = Assigner.assign(items, candidates(instances, state), load, algorithm, seed);
        } catch (IllegalArgumentException e) {
            throw new SessionException(e.getMessage() + ": give an instance more cpus or the job fewer cpus_req");
        }
        keeper.update(s -> s.updateRuns(placement.keySet(),
                r -> RunTransitions.apply(r, new RunTransitions.Placed(placement.get(r.uid())))));
    }

    /** The planned instances among {@code instances}, without those going away unless every one is. */
    private List<InstancePlan> candidates(Set<String> instances, ProjectState state) {
        List<InstancePlan> named = plan.instances().stream().filter(i -> instances.contains(i.name())).toList();
        List<InstancePlan> staying = named.stream().filter(i -> !state.goingAway(i.name())).toList();
        return staying.isEmpty() ? named : staying;
    }
}
