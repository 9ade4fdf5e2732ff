package katapult.session;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import groovy.lang.Closure;
import katapult.config.Config;
import katapult.config.DidYouMean;
import katapult.config.JobSpec;
import katapult.dsl.JobForms;

/**
 * What scripts and notebooks do with an open session beyond the CLI's steps: submit jobs given in code (a spec, a
 * builder, a map of the map form's keys, a closure in the job form), get a job's handle, await everything, or drive
 * one round at a time. A submitted job is saved with the project (see {@link Additions}) and sent off at once.
 */
final class ScriptApi {

    private final Session session;
    private final Workload work;
    private final Dispatch dispatch;
    private final Engine engine;
    private final Path workspace;

    ScriptApi(Session session, Workload work, Dispatch dispatch, Engine engine, Path workspace) {
        this.session = session;
        this.work = work;
        this.dispatch = dispatch;
        this.engine = engine;
        this.workspace = workspace;
    }

    JobHandle submit(JobSpec job) {
        return submit(base -> JobForms.bindSpec(job, configFolder(), base));
    }

    JobHandle submit(Map<String, ?> job) {
        return submit(base -> JobForms.bindMap(job, configFolder(), base));
    }

    JobHandle submit(Closure<?> job) {
        return submit(base -> JobForms.bindClosure(job, configFolder(), base));
    }

    /**
     * Binds the job as an addition to the current config, saves it and sends its runs off. Submitting a job the
     * session already has, unchanged, sends off what is left of it and returns it (a script run twice runs nothing
     * twice).
     */
    private JobHandle submit(UnaryOperator<Config> binder) {
        Submissions.Bound bound = Submissions.bind(work.config(), binder);
        if (bound.isNew()) {
            work.add(Additions.save(Project.stateDir(workspace, work.config().project()).resolve("added"),
                    bound.job()));
        }
        launch();
        return new JobHandle(session, bound.job().name());
    }

    /** Places, starts, deploys and submits whatever can go now (runs waiting for others go later, with a wait). */
    private void launch() {
        Parallel.orThrow("start", dispatch.startEach());
        Parallel.orThrow("deploy", dispatch.deployEach(Set.of()));
        if (work.config().printDeploy()) {
            dispatch.awaitEnvironments();
        }
        Parallel.orThrow("submit", dispatch.submitEach(Set.of()));
    }

    /** The handle of a job of the session, by name. */
    JobHandle job(String name) {
        if (work.plan().jobs().get(name) == null) {
            throw new SessionException("no job '" + name + "' in project " + work.config().project()
                    + DidYouMean.hint(name, work.plan().jobs().keySet()));
        }
        return new JobHandle(session, name);
    }

    /** One round of the session; returns whether every run is finished and fetched (then auto_stop applies). */
    boolean advance() {
        return engine.advance();
    }

    /** The folder relative paths of jobs given in code resolve against: the config file's. */
    Path configFolder() {
        Path source = work.config().source();
        return source != null && source.getParent() != null ? source.getParent() : workspace;
    }
}
