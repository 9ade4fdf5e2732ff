package katapult.remote;

import java.util.Map;

import katapult.transport.ShellQuote;

/**
 * Where things live on an instance, as paths relative to the remote home (for put/get) and as shell words (for
 * commands). Everything of one instance (agent scripts, environments, run folders, queue, agent state) is under its
 * own root {@code $HOME/.katapult/<project>/instances/<instance>}, named by the instance's name in Katapult's state:
 * hosts whose login user has one home shared by every host (an NFS home on a cluster) must not share an agent or a
 * queue, and they may also share the machine id. Only the content-addressed store
 * {@code $HOME/.katapult/<project>/files} is shared, which is safe: a file is named by its content and appears by
 * an atomic rename from a unique temporary name. An instance may have its project folder elsewhere (a Slurm cluster's
 * shared file system): then that folder replaces {@code $HOME/.katapult/<project>} for it. docs/PROTOCOL.md is the
 * spec.
 *
 * <p>A layout made with the project alone knows no instance: {@link #on} gives an instance's layout, and asking it
 * for an instance's folder is a bug (IllegalStateException), never a guess.
 */
public record RemoteLayout(String project, String instance, Map<String, String> roots) {

    /** Changes with the layout; part of the agent's version. 2: one folder per instance under instances/. */
    public static final String VERSION = "2";

    public RemoteLayout {
        roots = Map.copyOf(roots);
    }

    public RemoteLayout(String project) {
        this(project, null, Map.of());
    }

    /**
     * @param roots the project folder of each instance whose folder is elsewhere than {@code .katapult/<project>} in
     *              the home (a slurm {@code workdir}), by instance name: relative to the home, or absolute
     */
    public RemoteLayout(String project, Map<String, String> roots) {
        this(project, null, roots);
    }

    /** The layout of one instance of the project. */
    public RemoteLayout on(String instanceName) {
        return new RemoteLayout(project, instanceName, roots);
    }

    /**
     * {@code .katapult/<project>}, or the instance's own folder for the project: every instance's folder and the
     * shared uploads ({@code down --purge} removes what {@link #removableWords} says). Relative to the home, or absolute.
     */
    public String projectRoot() {
        String own = instance == null ? null : roots.get(instance);
        return own != null ? own : ".katapult/" + project;
    }

    public String projectRootWord() {
        return ShellQuote.homePath(projectRoot());
    }

    /** Whether the instance's project folder is one the user chose (a workdir) rather than Katapult's own. */
    public boolean chosenRoot() {
        return instance != null && roots.containsKey(instance);
    }

    /**
     * What removing the project folder may delete, as shell words: Katapult's own folder whole, but in a folder the
     * user chose only what Katapult made there (the instances' folders and the uploads), never the folder itself.
     */
    public String removableWords() {
        return chosenRoot() ? ShellQuote.homePath(projectRoot() + "/instances") + " " + filesWord() : projectRootWord();
    }

    /** The project folder as people write it: {@code ~/.katapult/<project>}, or an absolute path. */
    public String projectRootShown() {
        String root = projectRoot();
        return root.startsWith("/") ? root : "~/" + root;
    }

    /** The instance's own folder, the R that the agent scripts take. */
    public String root() {
        if (instance == null) {
            throw new IllegalStateException("the remote layout of project " + project + " names no instance");
        }
        return projectRoot() + "/instances/" + instance;
    }

    /** The root as a shell word; $HOME expands, nothing else does. */
    public String rootWord() {
        return ShellQuote.homePath(root());
    }

    /** The content-addressed store, shared by the instances of the project that share a home. */
    public String files() {
        return projectRoot() + "/files";
    }

    public String filesWord() {
        return ShellQuote.homePath(files());
    }

    public String file(String sha256) {
        return files() + "/" + sha256;
    }

    public String run(String rid) {
        return root() + "/runs/" + rid;
    }

    public String runFile(String rid, String name) {
        return run(rid) + "/" + name;
    }

    public String runOutput(String rid, String output) {
        return run(rid) + "/work/" + output;
    }

    public String env(String key) {
        return root() + "/envs/" + key;
    }

    public String script(String name) {
        return root() + "/bin/" + name;
    }

    /** {@code bash <root>/bin/<script> <root> args…} as a command line. */
    public String command(String script, String... args) {
        StringBuilder line = new StringBuilder("bash ").append(ShellQuote.homePath(script(script)))
                .append(' ').append(rootWord());
        for (String arg : args) {
            line.append(' ').append(ShellQuote.quote(arg));
        }
        return line.toString();
    }
}
