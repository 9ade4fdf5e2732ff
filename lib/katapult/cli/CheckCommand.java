package katapult.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import katapult.config.Config;
import katapult.config.ConfigException;
import katapult.dsl.ConfigLoader;
import katapult.plan.InstanceExpander;
import katapult.terminal.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Validate a config file without starting anything.",
                "Every problem is reported with file:line; the exit code is 2 when there is any."})
final class CheckCommand extends KatapultSubcommand {

    @Parameters(paramLabel = "CONFIG",
            description = "The config file: Groovy, or a .py file in Python's dict syntax.")
    Path config;

    @Option(names = "--json", description = "Print the verdict as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Config loaded;
        try {
            loaded = ConfigLoader.load(config);
        } catch (ConfigException invalid) {
            if (!json) {
                throw invalid;
            }
            invalid.problems().forEach(problem -> console.err().println(problem));
            Json.print(invalidVerdict(invalid), console.out());
            return ExitCodes.USAGE;
        }
        loaded.warnings().forEach(w -> console.progress(w.toString()));
        int instances = InstanceExpander.expand(loaded.instances(),
                spec -> spec.cpus() == null ? 1 : spec.cpus(), spec -> spec.cpus() == null ? 1 : spec.cpus()).size();
        int runs = loaded.jobs().stream().mapToInt(j -> j.runCount()).sum();
        if (json) {
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("file", config.toString());
            verdict.put("valid", true);
            verdict.put("project", loaded.project());
            verdict.put("provider", loaded.provider().name().toLowerCase());
            verdict.put("instances", instances);
            verdict.put("environments", loaded.environments().size());
            verdict.put("jobs", loaded.jobs().size());
            verdict.put("runs", runs);
            Json.print(verdict, console.out());
        } else {
            console.out().println(config + ": valid — project " + loaded.project() + ", provider "
                    + loaded.provider().name().toLowerCase() + ", " + loaded.instances().size() + " instance entr"
                    + (loaded.instances().size() == 1 ? "y" : "ies") + ", " + loaded.environments().size()
                    + " environment(s), " + loaded.jobs().size() + " job(s), " + runs + " run(s)");
        }
        return ExitCodes.OK;
    }

    /** {@code check --json} of a config with problems: each with its file and line (0 when it has none). */
    private Map<String, Object> invalidVerdict(ConfigException invalid) {
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("file", config.toString());
        verdict.put("valid", false);
        verdict.put("problems", invalid.problems().stream().map(problem -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", problem.file());
            m.put("line", problem.line());
            m.put("message", problem.message());
            return m;
        }).toList());
        return verdict;
    }
}
