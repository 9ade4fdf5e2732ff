package katapult.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import katapult.config.OutputEntry;
import katapult.state.RunRecord;
import katapult.state.RunState;

/**
 * One run of a job, for scripts: {@code state()}, {@code await()}, {@code stdout()}, {@code output(name)}. It reads
 * through its session, so it always shows the session's latest knowledge.
 */
public final class RunHandle {

    private final Session session;
    private final String uid;

    RunHandle(Session session, String uid) {
        this.session = session;
        this.uid = uid;
    }

    /** The run as last known (no instance is read). */
    public RunView view() {
        return session.view(uid);
    }

    public RunRecord run() {
        return view().run();
    }

    public String uid() {
        return uid;
    }

    public String job() {
        return run().job();
    }

    public int repeat() {
        return run().repeat();
    }

    /** Its state, read from its instance now. */
    public RunState state() {
        session.refresh();
        return view().state();
    }

    public RunState getState() {
        return state();
    }

    /** Waits (driving the session: runs it depends on go first) until the run is finished and fetched. */
    public RunHandle await() {
        session.awaitRuns(List.of(uid), null);
        return this;
    }

    /** Like {@link #await()}, giving up after {@code timeout}; returns whether the run finished. */
    public boolean await(Duration timeout) {
        return session.awaitRuns(List.of(uid), timeout);
    }

    /** What the run printed on stdout so far (from its instance, or from the results once fetched). */
    public String stdout() {
        return session.log(uid, false);
    }

    public String stderr() {
        return session.log(uid, true);
    }

    /**
     * The fetched file of one of the job's {@code output_files} (or a file one of its folders or patterns brought, by
     * its path); the run must be DONE and fetched.
     */
    public Path output(String name) {
        RunView view = view();
        List<String> outputs = session.plan().run(uid).orElseThrow().job().spec().outputFiles();
        if (!outputs.contains(name) && !OutputEntry.anyMatches(outputs, name)) {
            throw new SessionException("job " + view.run().job() + " has no output '" + name + "'"
                    + (outputs.isEmpty() ? " (it declares none)" : " (its outputs: " + String.join(", ", outputs) + ")"));
        }
        if (view.state() != RunState.DONE || !view.run().fetched()) {
            throw new SessionException("run " + view.run().job() + "/" + view.run().repeat() + " is " + view.state()
                    + (view.run().fetched() ? "" : ", not fetched yet") + ": await() it first");
        }
        Path file = session.resultFolder(view.run()).resolve(name);
        if (!Files.exists(file)) {
            throw new SessionException("the output " + file + " is missing from the results");
        }
        return file;
    }

    /** Where its results land: {@code results/<project>/<job>/<repeat>/}. */
    public Path folder() {
        return session.resultFolder(run());
    }

    @Override
    public String toString() {
        RunView view = view();
        return view.run().job() + "/" + view.run().repeat() + " " + view.state();
    }
}
