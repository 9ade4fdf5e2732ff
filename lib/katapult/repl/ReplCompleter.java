package katapult.repl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import katapult.config.ConfigKey;
import katapult.config.ConfigKeys;
import katapult.config.ConfigKeys.Block;
import katapult.config.EnvironmentSpec;
import katapult.config.JobSpec;
import katapult.session.RunView;
import katapult.session.Session;
import katapult.state.InstanceRecord;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Completion at the prompt, from the command tree itself: command names, then each command's options, files where
 * a command takes a path, and the live session's job, run, instance and environment names where it takes a name.
 */
final class ReplCompleter implements Completer {

    private final CommandLine commands;
    private final Supplier<Session> session;
    private final Completer files = new Completers.FileNameCompleter();

    ReplCompleter(CommandLine commands, Supplier<Session> session) {
        this.commands = commands;
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index == 0) {
            commands.getSubcommands().forEach((name, sub) -> candidates.add(new Candidate(name, name, "commands",
                    description(sub.getCommandSpec()), null, null, true)));
            candidates.add(new Candidate("exit", "exit", "commands", "leave the REPL (or Ctrl-D)", null, null, true));
            candidates.add(new Candidate("clear", "clear", "commands", "clear the screen", null, null, true));
            for (String name : GroovyPrompt.LIVE) {
                candidates.add(new Candidate(name, name, "groovy", "the live session's " + name, null, null, false));
            }
            return;
        }
        CommandLine sub = commands.getSubcommands().get(words.get(0));
        if (sub == null) {
            names(candidates, true);
            jobKeys(candidates);
            return;
        }
        CommandSpec spec = sub.getCommandSpec();
        String current = line.word();
        String previous = words.get(index - 1);
        OptionSpec takesValue = spec.findOption(previous);
        if (takesValue != null && takesValue.arity().max() > 0 && !isBoolean(takesValue)) {
            if (Path.class.equals(takesValue.type())) {
                files.complete(reader, line, candidates);
            } else if (takesValue.longestName().equals("--project")) {
                Session s = session.get();
                if (s != null) {
                    candidates.add(new Candidate(s.project()));
                }
            }
            return;
        }
        if (current.startsWith("-")) {
            for (OptionSpec option : spec.options()) {
                for (String name : option.names()) {
                    candidates.add(new Candidate(name, name, "options", first(option.description()), null, null, true));
                }
            }
            return;
        }
        PositionalParamSpec positional = spec.positionalParameters().isEmpty() ? null : spec.positionalParameters().get(0);
        if (positional == null || spec.name().equals("help")) {
            if (spec.name().equals("help")) {
                commands.getSubcommands().keySet().forEach(n -> candidates.add(new Candidate(n)));
            }
            return;
        }
        if (Path.class.equals(positional.type())) {
            files.complete(reader, line, candidates);
        } else {
            names(candidates, !spec.name().equals("logs"));
        }
    }

    /** A Groovy line may submit a job block: the job keys of the key table, by their block names. */
    private static void jobKeys(List<Candidate> candidates) {
        for (ConfigKey<?> key : ConfigKeys.keys(Block.JOB)) {
            candidates.add(new Candidate(key.camel(), key.camel(), "job keys", key.takes(), null, null, false));
        }
    }

    /** The live session's names: jobs and runs, and (with {@code all}) instances and environments. */
    private void names(List<Candidate> candidates, boolean all) {
        Session s = session.get();
        if (s == null) {
            return;
        }
        for (JobSpec job : s.config().jobs()) {
            // not complete: no space after it, so a run number can follow (squares → squares/2)
            candidates.add(new Candidate(job.name(), job.name(), "jobs", null, null, null, false));
        }
        for (RunView run : s.runs()) {
            String ref = run.run().job() + "/" + run.run().repeat();
            candidates.add(new Candidate(ref, ref, "runs", run.state().name(), null, null, true));
        }
        if (!all) {
            return;
        }
        for (InstanceRecord instance : s.status().instances()) {
            candidates.add(new Candidate(instance.name(), instance.name(), "instances", instance.status(), null, null, true));
        }
        for (EnvironmentSpec env : s.config().environments()) {
            candidates.add(new Candidate(env.name(), env.name(), "environments", null, null, null, true));
        }
    }

    private static boolean isBoolean(OptionSpec option) {
        return option.type() == boolean.class || option.type() == Boolean.class;
    }

    private static String description(CommandSpec spec) {
        return first(spec.usageMessage().description());
    }

    private static String first(String[] lines) {
        return lines == null || lines.length == 0 ? null : lines[0];
    }
}
