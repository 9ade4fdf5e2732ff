package katapult.plan;

import static katapult.transport.ShellQuote.quote;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import katapult.config.ConfigException;
import katapult.config.JobSpec;
import katapult.config.Problem;
import katapult.env.EnvironmentPlan;
import katapult.transport.ShellQuote;
import katapult.util.Hashes;

/** Turns job specs into what an instance runs: the command script, its work files, its identity. */
public final class JobPlanner {

    private JobPlanner() {
    }

    public static JobPlan plan(JobSpec spec, EnvironmentPlan env, List<JobPlan> upstream, String configFile) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        String command;
        if (spec.runScript() != null) {
            Path script = spec.runScript().script();
            addFile(files, script, spec, configFile, problems);
            command = scriptCommand(script.getFileName().toString(), spec.runScript().args());
        } else {
            command = spec.runCommand() + "\n";
        }
        spec.uploadFiles().forEach(f -> addFile(files, f, spec, configFile, problems));
        spec.inputFiles().forEach(f -> addFile(files, f, spec, configFile, problems));
        JobPlan draft = new JobPlan(spec, env, command, files, Map.of(), upstream, "");
        for (String name : draft.upstreamInputs().keySet()) {
            if (files.containsKey(name)) {
                problems.add(new Problem(configFile, 0, "job '" + spec.name() + "' gets '" + name
                        + "' both from its own files and from a job it waits for"));
            }
        }
        long distinct = upstream.stream().flatMap(u -> u.runCount() == 1 ? u.spec().outputFiles().stream()
                : Stream.of(u.name())).distinct().count();
        long all = upstream.stream().mapToLong(u -> u.runCount() == 1 ? u.spec().outputFiles().size() : 1).sum();
        if (distinct != all) {
            problems.add(new Problem(configFile, 0, "job '" + spec.name() + "' waits for jobs whose outputs have the"
                    + " same names: rename the outputs, or give those jobs more than one repeat"));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        files.forEach((name, path) -> hashes.put(name, Hashes.ofFile(path)));
        return new JobPlan(spec, env, command, files, hashes, upstream, identity(spec, env, command, hashes, upstream));
    }

    /** .py runs with the environment's python, .jl with julia, anything else is executed as it is. */
    static String scriptCommand(String name, List<String> args) {
        String call = args.isEmpty() ? "" : " " + ShellQuote.join(args);
        if (name.endsWith(".py")) {
            return "exec \"${KATAPULT_PYTHON:-python3}\" " + quote(name) + call + "\n";
        }
        if (name.endsWith(".jl")) {
            return "exec julia " + quote(name) + call + "\n";
        }
        return "chmod +x " + quote(name) + "\nexec " + quote("./" + name) + call + "\n";
    }

    private static void addFile(Map<String, Path> files, Path file, JobSpec spec, String configFile,
                                List<Problem> problems) {
        String name = spec.runScript() != null && spec.runScript().script().equals(file)
                ? file.getFileName().toString() : spec.landing(file);
        Path previous = files.putIfAbsent(name, file);
        if (previous != null && !previous.equals(file)) {
            problems.add(new Problem(configFile, 0, "job '" + spec.name() + "' puts two files named '" + name
                    + "' in its folder: " + previous + " and " + file));
        }
    }

    private static String identity(JobSpec spec, EnvironmentPlan env, String command, Map<String, String> files,
                                   List<JobPlan> upstream) {
        StringBuilder text = new StringBuilder("job\n").append(spec.name()).append('\n').append(command)
                .append("env ").append(env == null ? "-" : env.key()).append('\n')
                .append("cpus ").append(spec.cpusReq()).append('\n');
        new TreeMap<>(files).forEach((name, sha) -> text.append("file ").append(name).append(' ').append(sha)
                .append('\n'));
        spec.outputFiles().forEach(out -> text.append("out ").append(out).append('\n'));
        upstream.forEach(up -> text.append("after ").append(up.hash()).append('\n'));
        return Hashes.of(text.toString());
    }
}
