package katapult.repl;

import java.nio.file.Path;
import java.util.function.Consumer;

import katapult.dsl.ConfigLoader;
import katapult.session.Event;
import katapult.session.Session;
import katapult.session.SessionSource;
import org.jline.terminal.Terminal;

/**
 * The REPL's one open session, lent to the commands run at the prompt: a command gets the live session (retained,
 * so its close only releases it) and hears its events while it runs. The project stays locked by the REPL the whole
 * time, and no command tries to lock it a second time. A command on another project or folder opens its own.
 */
final class LiveSessions implements SessionSource {

    private final Path workspace;
    private final Terminal terminal;
    private final Forward forward = new Forward();
    private Session live;

    LiveSessions(Path workspace, Terminal terminal, Consumer<Event> quietDefault) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.terminal = terminal;
        this.forward.fallback = quietDefault;
        this.forward.target = quietDefault;
    }

    /** The session the prompt works on, or null while there is none. */
    synchronized Session live() {
        return live;
    }

    /** Where the live session's events go between commands (Groovy code driving it). */
    void fallback(Consumer<Event> listener) {
        forward.fallback = listener;
        forward.target = listener;
    }

    /** After a command: its printer no longer hears the live session. */
    void commandDone() {
        forward.target = forward.fallback;
    }

    private boolean here(Path ws) {
        return ws.toAbsolutePath().normalize().equals(workspace);
    }

    @Override
    public synchronized Session resume(Path ws, String project, Consumer<Event> listener) {
        if (!here(ws) || (live != null && project != null && !project.equals(live.project()))) {
            return Session.resume(ws, project, listener);
        }
        if (live == null) {
            live = Session.resume(ws, project, forward);
        }
        forward.target = listener;
        return live.retain();
    }

    @Override
    public synchronized Session open(Path ws, Path config, Consumer<Event> listener) {
        if (!here(ws)) {
            return Session.open(ws, config, listener);
        }
        if (live == null) {
            live = Session.open(ws, config, forward);
        } else if (!ConfigLoader.load(config).project().equals(live.project())) {
            return Session.open(ws, config, listener);
        }
        forward.target = listener;
        return live.retain();
    }

    @Override
    public Terminal terminal() {
        return Terminal.TYPE_DUMB.equals(terminal.getType()) || Terminal.TYPE_DUMB_COLOR.equals(terminal.getType())
                ? null : terminal;
    }

    @Override
    public boolean interactive() {
        return true;
    }

    synchronized void close() {
        if (live != null) {
            live.close();
            live = null;
        }
    }

    /** The live session's listener: the running command's printer, else the REPL's own. */
    private static final class Forward implements Consumer<Event> {
        volatile Consumer<Event> target;
        volatile Consumer<Event> fallback;

        @Override
        public void accept(Event event) {
            target.accept(event);
        }
    }
}
