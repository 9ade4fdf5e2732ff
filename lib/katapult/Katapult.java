package katapult;

import java.nio.file.Path;
import java.util.function.Consumer;

import katapult.session.Event;
import katapult.session.JobBuilder;
import katapult.session.Session;

/**
 * The scripting API's entry, for JBang scripts, Groovy scripts and JShell:
 *
 * <pre>{@code
 * import katapult.Katapult;
 * try (var session = Katapult.open("sweep-base.groovy")) {
 *     session.up();
 *     var job = session.submit(Map.of("run_command", "echo hi > o.txt", "output_files", "o.txt"));
 *     System.out.println(Files.readString(job.await().output("o.txt")));
 * }
 * }</pre>
 *
 * Nothing here prints: progress reaches the caller as {@link Event}s through the listener given to {@code open}.
 */
public final class Katapult {

    private Katapult() {
    }

    /** Opens (or resumes) the project of a config file, in the current folder; events are dropped. */
    public static Session open(String config) {
        return open(Path.of(config), event -> { });
    }

    public static Session open(Path config) {
        return open(config, event -> { });
    }

    /** Opens (or resumes) the project of a config file, in the current folder, telling {@code listener} everything. */
    public static Session open(Path config, Consumer<Event> listener) {
        return open(Path.of("."), config, listener);
    }

    public static Session open(String config, Consumer<Event> listener) {
        return open(Path.of(config), listener);
    }

    /** Opens (or resumes) a project with its state and results under {@code workspace}. */
    public static Session open(Path workspace, Path config, Consumer<Event> listener) {
        return Session.open(workspace, config, listener);
    }

    /** A builder for a job given in code: {@code Katapult.job("train").command("python train.py").outputs("m.pt")}. */
    public static JobBuilder job(String name) {
        return new JobBuilder().name(name);
    }

    public static JobBuilder job() {
        return new JobBuilder();
    }
}
