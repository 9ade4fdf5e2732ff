package katapult.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

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

    /**
     * Whether a command line only shows the top's own help or version (no argument, {@code --help}, {@code help},
     * {@code --version}): its subcommands are then only listed, never parsed.
     */
    static boolean listedOnly(String... args) {
        return args.length == 0 || args.length == 1 && TOP_ONLY.contains(args[0]);
    }

    private static final List<String> TOP_ONLY = List.of("--help", "-h", "help", "--version", "-V");

    /**
     * A subcommand as the top's help lists it: its names, header, description and visibility, from its annotation.
     * Building the model of every option of two dozen commands took most of a {@code --help}'s time.
     */
    static CommandLine listing(Class<?> type) {
        Command command = type.getAnnotation(Command.class);
        CommandSpec spec = CommandSpec.create().name(command.name()).aliases(command.aliases());
        spec.usageMessage().header(command.header()).description(command.description()).hidden(command.hidden());
        return new CommandLine(spec);
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
