package katapult.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import katapult.config.Config;
import katapult.config.ConfigException;
import katapult.config.InstanceSpec;
import katapult.config.SshHostSettings;
import katapult.dsl.ConfigLoader;
import katapult.provider.Preflight;
import katapult.provider.Provider;
import katapult.provider.Quota;
import katapult.providers.ProviderFactory;
import katapult.session.Session;
import katapult.transport.Shell;
import katapult.transport.SshConnections;
import katapult.transport.SshSettings;
import katapult.transport.SshTarget;

/** The checks of `doctor`: each one line, ok, FAIL with what to do about it, or skip when it cannot be made. */
final class Doctor {

    /**
     * One check's outcome: {@code fix} is null when it passed; {@code skipped} when it could not be made (what it
     * needs cannot be read), which does not fail doctor.
     */
    record Check(String name, String detail, String fix, boolean skipped) {
        Check(String name, String detail, String fix) {
            this(name, detail, fix, false);
        }

        static Check skip(String name, String detail) {
            return new Check(name, detail, null, true);
        }

        boolean ok() {
            return fix == null;
        }

        String line() {
            return (skipped ? "skip  " : ok() ? "ok    " : "FAIL  ") + name + ": " + detail
                    + (ok() ? "" : " — fix: " + fix);
        }
    }

    /** Space under which a results folder is too small for much. */
    static final long MIN_FREE_BYTES = 1L << 30;

    private final Path workspace;
    private final ProviderFactory providers;
    private final List<Check> checks = new ArrayList<>();

    Doctor(Path workspace, ProviderFactory providers) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.providers = providers;
    }

    List<Check> run(Path configFile) {
        java();
        disk();
        if (configFile != null) {
            Config config = config(configFile);
            if (config != null) {
                provider(config);
            }
        }
        return List.copyOf(checks);
    }

    private void java() {
        Runtime.Version v = Runtime.version();
        checks.add(new Check("java", "Java " + v, v.feature() >= 17 ? null
                : "install Java 17 or newer (JBang can fetch one: `jbang jdk install 17`)"));
    }

    private void disk() {
        Path results = workspace.resolve("results");
        Path existing = Files.exists(results) ? results : workspace;
        try {
            long free = Files.getFileStore(existing).getUsableSpace();
            checks.add(new Check("disk", (free >> 20) + " MiB free for results under " + results,
                    free >= MIN_FREE_BYTES ? null : "free some space there, or run from another folder (-C DIR)"));
        } catch (IOException e) {
            checks.add(new Check("disk", "cannot read the free space of " + existing + ": " + e.getMessage(),
                    "check that the folder exists and is readable"));
        }
    }

    private Config config(Path file) {
        try {
            Config config = ConfigLoader.load(file);
            checks.add(new Check("config", file + ": project '" + config.project() + "', provider "
                    + config.provider().name().toLowerCase(Locale.ROOT), null));
            return config;
        } catch (ConfigException e) {
            String first = e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).toString();
            checks.add(new Check("config", first + (e.problems().size() > 1 ? " (and " + (e.problems().size() - 1)
                    + " more)" : ""), "`katapult check " + file + "` lists every problem with its line"));
            return null;
        }
    }

    private void provider(Config config) {
        try (Provider provider = providers.create(config, Session.stateDir(workspace, config.project()))) {
            if (provider.preflight().isPresent()) {
                Preflight preflight = provider.preflight().get();
                if (!attempt("credentials and region", "found", () -> {
                    preflight.check();
                    return "found";
                }, "see README, AWS \"Set-up and credentials\"")) {
                    return;
                }
            }
            Path knownHosts = Session.stateDir(workspace, config.project()).resolve("known_hosts");
            for (InstanceSpec spec : config.instances()) {
                instance(provider, spec, knownHosts);
            }
            quotas(provider);
        }
    }

    /** Each quota read against what the config asks of it; one that cannot be read is skipped, not failed. */
    private void quotas(Provider provider) {
        for (Quota quota : provider.quotas()) {
            String name = "quota " + quota.name();
            if (quota.limit() == null) {
                checks.add(Check.skip(name, "not readable (" + quota.unreadable() + "), so not checked; the config"
                        + " asks for " + quota.wanted()));
            } else {
                String detail = "the config asks for " + quota.wanted() + ", the account's quota is " + quota.limit()
                        + " (its other instances count too)";
                checks.add(new Check(name, detail, quota.enough() ? null : "ask for fewer, or ask AWS for a higher"
                        + " quota (Service Quotas console, Amazon EC2, this quota code and region)"));
            }
        }
    }

    private void instance(Provider provider, InstanceSpec spec, Path knownHosts) {
        if (spec.settings() instanceof SshHostSettings ssh) {
            attempt("ssh " + spec.name(), "reachable", () -> reach(ssh, knownHosts), "check the host, port, user and key of"
                    + " instance '" + spec.name() + "' (`ssh -p PORT USER@HOST` should log in without a password)");
        } else if ("aws".equals(provider.kind())) {
            attempt("type " + spec.name(), "", () -> spec.aws().type() + ": " + provider.machineCpus(spec) + " vCPUs",
                    "name an instance type offered in the entry's region (`aws ec2 describe-instance-types`)");
        }
    }

    /** Logs in as a run would (pinning the host key at first contact, as a run would) and runs `true`. */
    private static String reach(SshHostSettings ssh, Path knownHosts) throws IOException {
        SshTarget target = new SshTarget(ssh.user(), ssh.host(), ssh.port() == null ? 22 : ssh.port(),
                ssh.key() == null ? null : Path.of(ssh.key()));
        try (SshConnections pool = new SshConnections(SshSettings.defaults(knownHosts));
             Shell shell = pool.shell(target)) {
            shell.exec("true", null, Duration.ofSeconds(20)).orThrow("running `true` on " + target);
            return target.handle() + " answers";
        }
    }

    /** Adds the check's line; returns whether it passed. */
    private boolean attempt(String name, String okDetail, Step step, String fix) {
        try {
            String detail = step.run();
            checks.add(new Check(name, detail == null || detail.isEmpty() ? okDetail : detail, null));
            return true;
        } catch (IOException | RuntimeException e) {
            checks.add(new Check(name, String.valueOf(e.getMessage()), fix));
            return false;
        }
    }

    @FunctionalInterface
    private interface Step {
        String run() throws IOException;
    }

}
