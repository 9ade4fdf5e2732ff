package katapult.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import katapult.config.JobSpec;
import katapult.plan.JobPlan;
import katapult.state.RunState;

/**
 * A job of a session, for scripts: what {@code session.submit(...)} returns. {@link #runs()} has one
 * {@link RunHandle} per repeat; for a job with one repeat, {@link #state()}, {@link #await()}, {@link #stdout()} and
 * {@link #output(String)} act on that run directly.
 */
public final class JobHandle {

    private final Session session;
    private final String name;

    JobHandle(Session session, String name) {
        this.session = session;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public JobSpec spec() {
        return plan().spec();
    }

    private JobPlan plan() {
        JobPlan job = session.plan().jobs().get(name);
        if (job == null) {
            throw new SessionException("job '" + name + "' is no longer part of the session");
        }
        return job;
    }

    /** One handle per repeat, in repeat order. */
    public List<RunHandle> runs() {
        JobPlan job = plan();
        return IntStream.rangeClosed(1, job.runCount())
                .mapToObj(r -> new RunHandle(session, job.uid(r))).toList();
    }

    public List<RunHandle> getRuns() {
        return runs();
    }

    /** The run of one repeat (1-based). */
    public RunHandle run(int repeat) {
        List<RunHandle> runs = runs();
        if (repeat < 1 || repeat > runs.size()) {
            throw new SessionException("job " + name + " has " + runs.size() + " run(s); no repeat " + repeat);
        }
        return runs.get(repeat - 1);
    }

    private RunHandle only() {
        List<RunHandle> runs = runs();
        if (runs.size() != 1) {
            throw new SessionException("job " + name + " has " + runs.size() + " runs: pick one with run(n), or use runs()");
        }
        return runs.get(0);
    }

    /** The state of its only run, read now. */
    public RunState state() {
        return only().state();
    }

    public RunState getState() {
        return state();
    }

    /** Waits until every run of the job is finished and fetched (runs it depends on go first). */
    public JobHandle await() {
        session.awaitRuns(runs().stream().map(RunHandle::uid).toList(), null);
        return this;
    }

    /** Like {@link #await()}, giving up after {@code timeout}; returns whether every run finished. */
    public boolean await(Duration timeout) {
        return session.awaitRuns(runs().stream().map(RunHandle::uid).toList(), timeout);
    }

    /** Whether every run is DONE (as last known). */
    public boolean done() {
        return runs().stream().allMatch(r -> r.view().state() == RunState.DONE);
    }

    public String stdout() {
        return only().stdout();
    }

    public String stderr() {
        return only().stderr();
    }

    public Path output(String file) {
        return only().output(file);
    }

    /** One output of every run, in repeat order. */
    public List<Path> outputs(String file) {
        return runs().stream().map(r -> r.output(file)).toList();
    }

    @Override
    public String toString() {
        return "job " + name + " " + runs().stream().map(r -> r.view().state().name()).toList();
    }
}
