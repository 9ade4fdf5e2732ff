package katapult.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot with the journal's lines applied in order, in place: each line costs what it changed, so a long journal
 * replays in time linear in its size (a new {@link ProjectState} per line would cost all runs each time).
 */
final class StateReplay {

    private final ProjectState base;
    private final List<RunRecord> runs;
    private final Map<String, Integer> positions;
    private List<InstanceRecord> instances;
    private List<String> configFiles;
    private Map<String, String> jobNames;
    private List<SpotNotice> spotNotices;

    StateReplay(ProjectState base) {
        this.base = base;
        this.runs = new ArrayList<>(base.runs());
        this.positions = new HashMap<>(runs.size() * 2);
        for (int i = 0; i < runs.size(); i++) {
            positions.put(runs.get(i).uid(), i);
        }
        this.instances = base.instances();
        this.configFiles = base.configFiles();
        this.jobNames = base.jobNames();
        this.spotNotices = base.spotNotices();
    }

    void apply(StateChange change) {
        if (change.runs() != null) {
            for (RunRecord run : change.runs()) {
                Integer at = positions.get(run.uid());
                if (at == null) {
                    positions.put(run.uid(), runs.size());
                    runs.add(run);
                } else {
                    runs.set(at, run);
                }
            }
        }
        instances = change.instances() != null ? change.instances() : instances;
        configFiles = change.configFiles() != null ? change.configFiles() : configFiles;
        jobNames = change.jobNames() != null ? change.jobNames() : jobNames;
        spotNotices = change.spotNotices() != null ? change.spotNotices() : spotNotices;
    }

    ProjectState result() {
        return new ProjectState(base.format(), base.project(), configFiles, instances, runs, jobNames, spotNotices);
    }
}
