package katapult.remote;

import katapult.transport.ShellQuote;

/**
 * Where things live under a project's remote root ({@code $HOME/.katapult/<project>}), as paths relative to the
 * remote home (for put/get) and as shell words (for commands). DESIGN.md, "The instance protocol", is the spec.
 */
public record RemoteLayout(String project) {

    public String root() {
        return ".katapult/" + project;
    }

    /** The root as a shell word; $HOME expands, nothing else does. */
    public String rootWord() {
        return ShellQuote.homePath(root());
    }

    public String file(String sha256) {
        return root() + "/files/" + sha256;
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
