package katapult.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import katapult.config.JobSpec;
import katapult.config.Placeholders;
import katapult.transport.ShellQuote;

/**
 * The bash script of one run: the run's variables ({@code KATAPULT_RUN_INDEX}, {@code KATAPULT_RUN_COUNT}, one
 * {@code KATAPULT_PARAM_<NAME>} per parameter), then the job's command with the run's parameters put in for its
 * {@code ${name}} placeholders, each value quoted for the shell.
 */
final class RunCommands {

    private RunCommands() {
    }

    static String of(JobPlan job, int index) {
        Map<String, String> params = job.params(index);
        StringBuilder script = new StringBuilder("export KATAPULT_RUN_INDEX=").append(index)
                .append(" KATAPULT_RUN_COUNT=").append(job.runCount());
        params.forEach((name, value) -> script.append(' ').append(variable(name)).append('=')
                .append(ShellQuote.quote(value)));
        script.append('\n');
        return script.append(params.isEmpty() ? job.command() : substituted(job.spec(), job.command(), params))
                .toString();
    }

    /** {@code lr} → {@code KATAPULT_PARAM_LR}. */
    static String variable(String param) {
        return "KATAPULT_PARAM_" + param.toUpperCase(Locale.ROOT);
    }

    private static String substituted(JobSpec spec, String command, Map<String, String> params) {
        if (spec.runScript() == null) {
            return Placeholders.substitute(command, params, ShellQuote::quote);
        }
        // a script's arguments are words already: the value goes in as it is, and the word is quoted whole
        List<String> args = new ArrayList<>();
        spec.runScript().args().forEach(a -> args.add(Placeholders.substitute(a, params, v -> v)));
        return JobPlanner.scriptCommand(spec.runScript().script().getFileName().toString(), args);
    }
}
