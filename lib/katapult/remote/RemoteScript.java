package katapult.remote;

import static katapult.transport.ShellQuote.quote;

import java.util.Map;

/**
 * Builds the one bash script an instance receives per step (install, deploy, submit), so that a step costs one
 * round trip whatever the number of runs. The body sits in a function called on the last line: a script cut
 * short in transit defines nothing and runs nothing. Every write is idempotent, so a step can be sent again
 * after a crash without running anything twice.
 */
public final class RemoteScript {

    private final RemoteLayout layout;
    private final StringBuilder body = new StringBuilder();

    public RemoteScript(RemoteLayout layout) {
        this.layout = layout;
        // R is this instance's own folder; F, the uploads, may be shared with other hosts of one home
        line("R=" + layout.rootWord());
        line("F=" + layout.filesWord());
        line("mkdir -p \"$R/bin\" \"$F\" \"$R/envs\" \"$R/runs\" \"$R/queue\"");
    }

    /**
     * Takes over what a Katapult before per-instance folders left in {@code ~/.katapult/<project>} (runs/, queue/ at
     * the project root): the run folders and queue entries move into this instance's folder, so that their results
     * are still polled and fetched. Its environments stay where they are (a conda or venv prefix cannot move) and
     * are set up again here. While that older agent still runs (it holds its lock), nothing moves and the step
     * fails with what to do.
     */
    public RemoteScript adoptOlderLayout() {
        line("P=" + layout.projectRootWord());
        line("if [ -d \"$P/runs\" ]; then");
        line("exec 7>>\"$P/agent.lock\"");
        // (a few seconds: another host of a shared home may be moving them right now)
        line("if ! flock -w 5 7; then echo " + quote("~/" + layout.projectRoot() + " was made by an older Katapult"
                + " whose agent still runs there: let its runs end (or stop them) with that Katapult, then run this"
                + " one again") + " >&2; exit 1; fi");
        line("for x in runs queue; do if [ -d \"$P/$x\" ]; then rmdir \"$R/$x\" && mv \"$P/$x\" \"$R/$x\"; fi; done");
        line("rm -rf \"$P/bin\" \"$P/agent.pid\" \"$P/stopped\" \"$P/wake\" \"$P/cpus\" \"$P/agent.lock\"");
        line("exec 7>&-");
        line("fi");
        return this;
    }

    /** Installs the agent scripts unless this exact version is there already. */
    public RemoteScript installAgent(AgentScripts scripts) {
        line("if [ \"$(cat \"$R/bin/version\" 2>/dev/null)\" != " + quote(scripts.version()) + " ]; then");
        scripts.scripts().forEach((name, text) -> writeFile("\"$R/bin/\"" + quote(name), text));
        writeFile("\"$R/bin/version\"", scripts.version() + "\n");
        line("fi");
        return this;
    }

    public RemoteScript cpus(int cpus) {
        writeFile("\"$R/cpus\"", cpus + "\n");
        return this;
    }

    /** Writes an environment's spec folder unless it exists; the agent sets it up. */
    public RemoteScript environment(EnvPayload env) {
        String dir = "\"$R/envs/\"" + quote(env.key());
        line("if [ ! -d " + dir + "/spec ]; then");
        line("rm -rf " + dir + "/spec.part && mkdir -p " + dir + "/spec.part");
        env.specFiles().forEach((name, text) -> writeFile(dir + "/spec.part/" + quote(name), text));
        env.storedFiles().forEach((name, sha) -> copyStored(sha, dir + "/spec.part", name));
        line("mv " + dir + "/spec.part " + dir + "/spec");
        line("fi");
        return this;
    }

    /**
     * Writes a run's folder and queue entry unless the run exists. A run found in WAIT without a queue entry is
     * one whose submission was cut between the two writes: it is queued again.
     */
    public RemoteScript run(RunPayload run) {
        String dir = "\"$R/runs/\"" + quote(run.rid());
        String queue = "\"$R/queue/\"" + quote(run.rid());
        line("if [ ! -d " + dir + " ]; then");
        line("if [ -e " + dir + ".part ]; then rm -rf " + dir + ".part; fi");
        line("mkdir -p " + dir + ".part/work");
        // inside .part, files are written in place (printf is a builtin: no process per file); the folder
        // appears whole with the mv below
        writeInPart(dir + ".part/cmd", run.command());
        writeInPart(dir + ".part/env", run.envKey() == null ? "" : run.envKey() + "\n");
        writeInPart(dir + ".part/cpus", run.cpus() + "\n");
        writeInPart(dir + ".part/outputs", run.outputs().isEmpty() ? "" : String.join("\n", run.outputs()) + "\n");
        run.workFiles().forEach((name, sha) -> copyStored(sha, dir + ".part/work", name));
        // WAIT until its environment is ready; a run without one is queued for cpus from the start (the agent
        // would otherwise rename a new state file into place for every run)
        writeInPart(dir + ".part/state", run.envKey() == null ? "QUEUE\n" : "WAIT\n");
        line("mv " + dir + ".part " + dir);
        line(": > " + queue);
        line("elif [ ! -e " + queue + " ] && case \"$(cat " + dir + "/state 2>/dev/null)\" in"
                + " WAIT|QUEUE) true;; *) false;; esac; then");
        line(": > " + queue);
        line("fi");
        return this;
    }

    public RemoteScript startAgent(Map<String, String> agentEnvironment) {
        StringBuilder start = new StringBuilder();
        agentEnvironment.forEach((k, v) -> start.append(k).append('=').append(quote(v)).append(' '));
        line(start + "bash \"$R/bin/agent.sh\" \"$R\" start");
        return this;
    }

    public String build() {
        return "set -eu\nkatapult_step() {\n" + body + "}\nkatapult_step\n";
    }

    /** Copies a stored file to {@code name} (a relative path) under the folder {@code dirWord}. */
    private void copyStored(String sha, String dirWord, String name) {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            line("mkdir -p " + dirWord + "/" + quote(name.substring(0, slash)));
        }
        line("cp \"$F/\"" + quote(sha) + " " + dirWord + "/" + quote(name));
    }

    private void writeInPart(String targetWord, String text) {
        line("printf '%s' " + quote(text) + " > " + targetWord);
    }

    /** Replaces a file atomically, through a temporary name of this shell ($$): two writers never share one. */
    private void writeFile(String targetWord, String text) {
        String tmp = targetWord + "\".$$.tmp\"";
        line("printf '%s' " + quote(text) + " > " + tmp + " && mv -f " + tmp + " " + targetWord);
    }

    private void line(String text) {
        body.append("  ").append(text).append('\n');
    }
}
