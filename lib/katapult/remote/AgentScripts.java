package katapult.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import katapult.util.Hashes;

/** The bash scripts of templates/ that run on instances, read from the classpath, and their joint version. */
public final class AgentScripts {

    public static final List<String> NAMES = List.of("protocol.sh", "lib.sh", "scheduler.sh", "lifecycle.sh", "spot.sh", "agent.sh", "run.sh", "env.sh", "poll.sh", "fetch.sh",
            "slurm.sh", "slurm-task.sh");

    private final Map<String, String> scripts;
    private final String version;

    private AgentScripts(Map<String, String> scripts) {
        this.scripts = scripts;
        // the layout is part of the version: an instance installed under another layout gets the scripts again
        this.version = Hashes.of(RemoteLayout.VERSION + "\0" + String.join("\0", scripts.values())).substring(0, 16);
    }

    public static AgentScripts load() {
        Map<String, String> scripts = new LinkedHashMap<>();
        for (String name : NAMES) {
            scripts.put(name, read("templates/" + name));
        }
        return new AgentScripts(scripts);
    }

    /** A template of templates/ by name, as Katapult ships it. */
    static String template(String name) {
        return read("templates/" + name);
    }

    private static String read(String resource) {
        try (InputStream in = AgentScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the Katapult build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, String> scripts() {
        return scripts;
    }

    /** Changes whenever any script changes: an instance with another version gets them all again. */
    public String version() {
        return version;
    }
}
