package katapult.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Command;

/** Which subcommands a command line needs: the one it names first, else (help, completion, a typo) all of them. */
final class Subcommands {

    /** Commands that look at the whole tree: `help COMMAND`, the completion script. */
    private static final List<String> WHOLE_TREE = List.of("help", "generate-completion");

    private Subcommands() {
    }

    static List<Class<?>> named(String... args) {
        if (args.length == 0 || WHOLE_TREE.contains(args[0])) {
            return KatapultCommand.SUBCOMMANDS;
        }
        return KatapultCommand.SUBCOMMANDS.stream().filter(type -> names(type).contains(args[0])).findFirst()
                .<List<Class<?>>>map(List::of).orElse(KatapultCommand.SUBCOMMANDS);
    }

    /** A subcommand's name and aliases, from its annotation: no picocli model is built for this. */
    private static List<String> names(Class<?> type) {
        Command command = type.getAnnotation(Command.class);
        if (command == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>(Arrays.asList(command.aliases()));
        names.add(command.name());
        return names;
    }
}
