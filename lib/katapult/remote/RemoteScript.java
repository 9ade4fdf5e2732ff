package katapult.remote;

import static katapult.transport.ShellQuote.quote;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the one bash script an instance receives per step (install, deploy, submit), so that a step costs one
 * round trip whatever the number of runs. The script is templates/deploy.sh (its functions, after protocol.sh's
 * words) and one call per item, every value a quoted word; the calls sit in a function called on the last line: a
 * script cut short in transit runs nothing. Every write is idempotent, so a step can be sent again after a crash
 * without running anything twice.
 */
public final class RemoteScript {

    /** The template sent ahead of the calls; not installed on the instance. */
    public static final String TEMPLATE = "deploy.sh";

    private static final String PRELUDE = AgentScripts.template("protocol.sh") + AgentScripts.template(TEMPLATE);

    private final RemoteLayout layout;
    private final StringBuilder body = new StringBuilder();

    public RemoteScript(RemoteLayout layout) {
        this.layout = layout;
        // R is this instance's own folder; F, the uploads, may be shared with other hosts of one home
        call("d_begin", layout.rootWord(), layout.filesWord());
    }

    /**
     * Takes over what a Katapult before per-instance folders left in {@code ~/.katapult/<project>} (runs/, queue/ at
     * the project root): the run folders and queue entries move into this instance's folder, so that their results
     * are still polled and fetched. Its environments stay where they are (a conda or venv prefix cannot move) and
     * are set up again here. While that older agent still runs (it holds its lock), nothing moves and the step
     * fails with what to do. A folder the user chose (a workdir) never held that older layout: nothing is adopted
     * there, so a folder of theirs named runs/ is never moved.
     */
    public RemoteScript adoptOlderLayout() {
        if (layout.chosenRoot()) {
            return this;
        }
        call("d_adopt", layout.projectRootWord(), quote(layout.projectRootShown() + " was made by an older Katapult"
                + " whose agent still runs there: let its runs end (or stop them) with that Katapult, then run this"
                + " one again"));
        return this;
    }

    /** Installs the agent scripts unless this exact version is there already. */
    public RemoteScript installAgent(AgentScripts scripts) {
        List<String> words = new ArrayList<>(List.of(quote(scripts.version())));
        scripts.scripts().forEach((name, text) -> {
            words.add(quote(name));
            words.add(quote(text));
        });
        call("d_install", words.toArray(String[]::new));
        return this;
    }

    public RemoteScript cpus(int cpus) {
        call("d_cpus", quote(String.valueOf(cpus)));
        return this;
    }

    /** Writes the instance's lifecycle file: whether and when the agent shuts its machine down. */
    public RemoteScript lifecycle(AgentLifecycle lifecycle) {
        long[] s = lifecycle.seconds();
        call("d_lifecycle", quote(lifecycle.shutdown().word()), quote(String.valueOf(s[0])), quote(String.valueOf(s[1])),
                quote(String.valueOf(s[2])));
        return this;
    }

    /**
     * Writes (or, with null, removes) the instance's spot file: the metadata address whose spot interruption notice
     * the agent watches (a spot instance only).
     */
    public RemoteScript spot(String metadata) {
        call("d_spot", quote(metadata == null ? "" : metadata));
        return this;
    }

    /** Writes an environment's spec folder unless it exists; the agent sets it up. */
    public RemoteScript environment(EnvPayload env) {
        List<String> words = new ArrayList<>(List.of(quote(env.key()), quote(String.valueOf(env.specFiles().size()))));
        env.specFiles().forEach((name, text) -> {
            words.add(quote(name));
            words.add(quote(text));
        });
        env.storedFiles().forEach((name, sha) -> {
            words.add(quote(name));
            words.add(quote(sha));
        });
        call("d_env", words.toArray(String[]::new));
        return this;
    }

    /**
     * Writes a run's folder and queue entry unless the run exists. A run found in WAIT without a queue entry is
     * one whose submission was cut between the two writes: it is queued again. Its shared files become read-only
     * links into the content store, the others private copies (the small ones at once, the others when it starts).
     */
    public RemoteScript run(RunPayload run) {
        List<String> words = new ArrayList<>(List.of(quote(run.rid()), quote(run.command()),
                quote(run.envKey() == null ? "" : run.envKey()), quote(String.valueOf(run.cpus())),
                quote(run.outputs().isEmpty() ? "" : String.join("\n", run.outputs()) + "\n")));
        run.workFiles().forEach((name, sha) -> {
            words.add(quote(name));
            words.add(run.placement(name));
            words.add(quote(sha));
        });
        call("d_run", words.toArray(String[]::new));
        return this;
    }

    /**
     * The run {@code rid} takes these upstream outputs, by their name in its work folder, from their run folders on
     * this instance when its task starts (a batch scheduler's login node, where the task waits for theirs).
     */
    public RemoteScript upstream(String rid, Map<String, UpstreamFile> files) {
        List<String> words = new ArrayList<>(List.of(quote(rid)));
        files.forEach((name, from) -> {
            words.add(quote(name));
            words.add(quote(from.rid()));
            words.add(quote(from.output()));
        });
        call("d_upstream", words.toArray(String[]::new));
        return this;
    }

    /**
     * The run {@code rid} waits for the runs {@code rids} on this instance (a batch scheduler's login node): its
     * array's task starts only once theirs succeeded, whether it takes their outputs or not.
     */
    public RemoteScript awaits(String rid, List<String> rids) {
        List<String> words = new ArrayList<>(List.of(quote(rid)));
        rids.forEach(r -> words.add(quote(r)));
        call("d_after", words.toArray(String[]::new));
        return this;
    }

    /** Marks the instance a batch scheduler's login node ({@code slurm}): no agent runs there, runs go as arrays. */
    public RemoteScript batch(String scheduler) {
        call("d_batch", quote(scheduler));
        return this;
    }

    /**
     * Submits one job array of {@code rids} (task i runs the i-th) with {@code options}, unless the array {@code name}
     * was submitted already: sending it again never submits twice.
     */
    public RemoteScript submitArray(String name, List<String> options, List<String> rids) {
        List<String> words = new ArrayList<>(List.of(quote(name), quote(String.valueOf(options.size()))));
        options.forEach(o -> words.add(quote(o)));
        rids.forEach(r -> words.add(quote(r)));
        call("d_sbatch", words.toArray(String[]::new));
        return this;
    }

    /**
     * On a batch scheduler's login node: submits the job that sets the environment {@code key} up with {@code options},
     * unless it is ready, failed, or its set-up job is queued or running already (found by its name after a crash).
     */
    public RemoteScript environmentJob(String key, List<String> options) {
        List<String> words = new ArrayList<>(List.of(quote(key), quote(String.valueOf(options.size()))));
        options.forEach(o -> words.add(quote(o)));
        call("d_env_job", words.toArray(String[]::new));
        return this;
    }

    public RemoteScript startAgent(Map<String, String> agentEnvironment) {
        List<String> words = new ArrayList<>();
        agentEnvironment.forEach((k, v) -> words.add(quote(k + "=" + v)));
        call("d_start_agent", words.toArray(String[]::new));
        return this;
    }

    public String build() {
        // d_flush writes the runs d_run noted (together: a few processes whatever their number)
        return "set -eu\n" + PRELUDE + "katapult_step() {\n" + body + "  d_flush\n}\nkatapult_step\n";
    }

    /** One call of a deploy.sh function; its arguments are shell words already. */
    private void call(String function, String... words) {
        body.append("  ").append(function);
        for (String word : words) {
            body.append(' ').append(word);
        }
        body.append('\n');
    }
}
