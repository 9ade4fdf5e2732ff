package katapult.maestro;

import katapult.transport.ShellQuote;

/**
 * Where the remote maestro keeps everything on its instance, relative to the remote home:
 * {@code .katapult-maestro/<project>/} with {@code jars/<sha256>.jar} (Katapult itself, content-addressed),
 * {@code classpath}, {@code env} and the private files, {@code home/} (its Katapult home: key pairs),
 * {@code work/} (its workspace: {@code files/} the config files and uploads in their relative layout,
 * {@code .katapult/<project>/} the state, {@code results/<project>/} the results), {@code maestro.sh},
 * {@code maestro.log}, {@code maestro.lock}, {@code exit} and {@code fetched}.
 */
record MaestroFolder(String project) {

    String root() {
        return ".katapult-maestro/" + project;
    }

    String script() {
        return root() + "/maestro.sh";
    }

    String jar(String sha) {
        return root() + "/jars/" + sha + ".jar";
    }

    String jars() {
        return root() + "/jars";
    }

    /** A shipped config file or upload, by its path relative to the files' common folder. */
    String file(String relative) {
        return root() + "/work/files/" + relative;
    }

    /** The project's state folder on the maestro. */
    String state() {
        return root() + "/work/.katapult/" + project;
    }

    String results() {
        return root() + "/work/results/" + project;
    }

    String home() {
        return root() + "/home";
    }

    String log() {
        return root() + "/maestro.log";
    }

    /** A path under the root, as a shell word. */
    static String word(String path) {
        return ShellQuote.homePath(path);
    }

    /** The command running {@code maestro.sh} with {@code command} and its arguments. */
    String call(String command, String... args) {
        StringBuilder line = new StringBuilder("bash ").append(word(script())).append(' ')
                .append(ShellQuote.quote(command)).append(' ').append(ShellQuote.quote(root()));
        for (String arg : args) {
            line.append(' ').append(ShellQuote.quote(arg));
        }
        return line.toString();
    }
}
