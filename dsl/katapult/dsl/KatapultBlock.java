package katapult.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatesTo;
import katapult.config.ConfigKeys.Block;
import katapult.config.Located;
import katapult.config.RawMap;

/**
 * The {@code katapult { }} block: the global keys, and the {@code instance}, {@code environment} and
 * {@code job} blocks, each written once per item. Every method takes {@code Object}: the binder checks
 * the values and reports every mistake with its line.
 */
public final class KatapultBlock {

    private final Recorder rec;

    KatapultBlock(Recorder rec) {
        this.rec = rec;
    }

    /** Project name; default: the file's name without extension. */
    public void project(Object value) {
        rec.set("project", value);
    }

    /** Cloud credentials profile (aws). */
    public void profile(Object value) {
        rec.set("profile", value);
    }

    /** Keep reusing the same instances and environments (true/false). */
    public void dev(Object value) {
        rec.set("dev", value);
    }

    /** Verbosity 0..3 (default 1). */
    public void debug(Object value) {
        rec.set("debug", value);
    }

    /** 'local' (default) or 'remote'. */
    public void maestro(Object value) {
        rec.set("maestro", value);
    }

    /** Stop the instances when everything is done (default true). */
    public void autoStop(Object value) {
        rec.set("auto_stop", value);
    }

    /** 'local' (default), 'ssh' or 'aws'. */
    public void provider(Object value) {
        rec.set("provider", value);
    }

    /** 'multi_knapsack' (default) or 'random'. */
    public void jobAssign(Object value) {
        rec.set("job_assign", value);
    }

    /** Save the state after every transition and resume from it (default true). */
    public void recover(Object value) {
        rec.set("recover", value);
    }

    /** Wait for environments during deploy and print their logs (default false). */
    public void printDeploy(Object value) {
        rec.set("print_deploy", value);
    }

    /** One shared copy of each upload per instance (default true). */
    public void mutualizeUploads(Object value) {
        rec.set("mutualize_uploads", value);
    }

    /** Allow an ssh_cidr open to every address (default false). */
    public void sshOpen(Object value) {
        rec.set("ssh_open", value);
    }

    /** How long a throttled cloud call keeps backing off (default 5m). */
    public void retryBudget(Object value) {
        rec.set("retry_budget", value);
    }

    /** The most runs (every job's repeat, added up) the project may hold (default 100,000). */
    public void maxRuns(Object value) {
        rec.set("max_runs", value);
    }

    /** The most instances (after number and explode) the project may have (default 500). */
    public void maxInstances(Object value) {
        rec.set("max_instances", value);
    }

    /** One instance entry: {@code instance { type 't3.large'; cpus 2 }}. */
    public void instance(@DelegatesTo(value = InstanceBlock.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        RawMap item = item("instances");
        rec.ctx.run(body, new InstanceBlock(new Recorder(rec.ctx, Block.INSTANCE, item)));
    }

    /** One environment: {@code environment { name 'py'; envPypi(['numpy']) }}. */
    public void environment(@DelegatesTo(value = EnvironmentBlock.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        environment(null, body);
    }

    /** A named environment: {@code environment 'py', { envPypi(['numpy']) }}. */
    public void environment(Object name,
                            @DelegatesTo(value = EnvironmentBlock.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        RawMap item = item("environments");
        Recorder r = new Recorder(rec.ctx, Block.ENVIRONMENT, item);
        if (name != null) {
            r.setAt("name", name, item.line());
        }
        rec.ctx.run(body, new EnvironmentBlock(r));
    }

    /** One job: {@code job { runScript 'run.py 1 10'; outputFiles 'out.dat' }}. */
    public void job(@DelegatesTo(value = JobBlock.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        job(null, body);
    }

    /** A named job: {@code job 'first', { runCommand 'echo hi > out.txt'; outputFiles 'out.txt' }}. */
    public void job(Object name, @DelegatesTo(value = JobBlock.class, strategy = Closure.DELEGATE_FIRST) Closure<?> body) {
        RawMap item = item("jobs");
        Recorder r = new Recorder(rec.ctx, Block.JOB, item);
        if (name != null) {
            r.setAt("name", name, item.line());
        }
        rec.ctx.run(body, new JobBlock(r));
    }

    private RawMap item(String list) {
        int line = rec.ctx.line();
        RawMap item = new RawMap(line);
        rec.map.append(list, new Located(item, line), line);
        return item;
    }

    public Object methodMissing(String name, Object args) {
        return rec.missingMethod(name, args);
    }

    public void propertyMissing(String name, Object value) {
        rec.missingProperty(name, value);
    }
}
