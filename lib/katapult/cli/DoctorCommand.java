package katapult.cli;

import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check what a first run needs, one line per check: ok, or FAIL and how to fix it.",
                "The checks: Java, free disk for results and, with CONFIG, the config, the provider's credentials and region (aws: an",
                "expired SSO session is named), each aws entry's instance type in its region, the vCPU quotas",
                "(on-demand and spot) against what the config asks, each ssh host's login. A quota that cannot be read",
                "is a skip, not a failure. Exit 0 only when no check fails."})
final class DoctorCommand extends KatapultSubcommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "the config file to check with")
    Path config;

    @Override
    public Integer call() {
        List<Doctor.Check> checks = new Doctor(workspace, sessions.providers()).run(config);
        checks.forEach(c -> console.out().println(c.line()));
        long failed = checks.stream().filter(c -> !c.ok()).count();
        long skipped = checks.stream().filter(Doctor.Check::skipped).count();
        String skips = skipped == 0 ? "" : ", " + skipped + " skipped (could not be made)";
        console.out().println(failed > 0 ? failed + " of " + checks.size() + " checks failed" + skips
                : skipped == 0 ? "all " + checks.size() + " checks passed"
                : (checks.size() - skipped) + " checks passed" + skips);
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
