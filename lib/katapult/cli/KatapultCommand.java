package katapult.cli;

import java.util.List;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code katapult}: the top of the command tree. */
@Command(name = "katapult", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Run your scripts on machines Katapult prepares for them, from one Groovy config file.",
                "",
                "A session: start instances, assign jobs, deploy environments and files, run, wait, fetch results.",
                "State lives in .katapult/<project>/ and results in results/<project>/ under the working folder;",
                "re-running a command resumes where the last one stopped."},
        footer = {"", "Exit codes: 0 done, 1 runs aborted or session failed, 2 bad config or usage,"
                + " 3 timed out, 70 internal error."})
public final class KatapultCommand implements Runnable {

    /**
     * The subcommands, in the order `--help` lists them. Main adds them: all of them, or only the one a command
     * line names, since picocli reads every option of every command it is given before running any.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, CheckCommand.class, PlanCommand.class,
            InitCommand.class, AddCommand.class, StartCommand.class, DeployCommand.class, SubmitCommand.class,
            StatusCommand.class, WaitCommand.class, WatchCommand.class, LogsCommand.class, FetchCommand.class,
            StopCommand.class, DownCommand.class, RetryCommand.class, ForgetHostCommand.class, SshLoginCommand.class,
            SshConfigCommand.class, DoctorCommand.class, ReplCommand.class, ScriptCommand.class, HelpCommand.class,
            AutoComplete.GenerateCompletion.class);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
