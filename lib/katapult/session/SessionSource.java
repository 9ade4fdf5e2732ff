package katapult.session;

import java.nio.file.Path;
import java.util.function.Consumer;

import katapult.providers.ProviderFactory;
import org.jline.terminal.Terminal;

/**
 * Where commands get their session. The CLI opens one per command (and locks the project for that long); the REPL
 * lends the session it holds open, so a command inside it never tries to lock the project a second time.
 */
public interface SessionSource {

    /** Opens a session for each command: what the plain CLI does. */
    SessionSource DIRECT = direct(ProviderFactory.DEFAULT);

    /** Opens a session for each command, its provider made by {@code providers}. */
    static SessionSource direct(ProviderFactory providers) {
        return new SessionSource() {
            @Override
            public Session resume(Path workspace, String project, Consumer<Event> listener) {
                return Session.resume(workspace, project, listener, providers);
            }

            @Override
            public Session open(Path workspace, Path config, Consumer<Event> listener) {
                return Session.open(workspace, config, listener, providers);
            }

            @Override
            public ProviderFactory providers() {
                return providers;
            }
        };
    }

    /** A session of the workspace's project; the command closes it when done (for a lent session: releases it). */
    Session resume(Path workspace, String project, Consumer<Event> listener);

    /** The session of a config file's project. */
    Session open(Path workspace, Path config, Consumer<Event> listener);

    /** How providers are made, for commands that need one without a session (`plan`). */
    default ProviderFactory providers() {
        return ProviderFactory.DEFAULT;
    }

    /** The terminal the commands run in when it is an interactive one (the REPL's), or null. */
    default Terminal terminal() {
        return null;
    }

    /** Whether commands run inside the REPL. */
    default boolean interactive() {
        return false;
    }
}
