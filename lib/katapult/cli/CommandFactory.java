package katapult.cli;

import katapult.session.SessionSource;
import katapult.terminal.Console;
import picocli.CommandLine;

/** Gives every command the console, so nothing below main touches System.out. */
final class CommandFactory implements CommandLine.IFactory {

    private final Console console;
    private final SessionSource sessions;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(Console console) {
        this(console, SessionSource.DIRECT);
    }

    CommandFactory(Console console, SessionSource sessions) {
        this.console = console;
        this.sessions = sessions;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        K made = fallback.create(type);
        if (made instanceof KatapultSubcommand command) {
            command.console = console;
            command.sessions = sessions;
        }
        return made;
    }
}
