package katapult.maestro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import katapult.config.Config;
import katapult.config.Lifecycle;
import katapult.cost.Estimate;
import katapult.dsl.ConfigLoader;
import katapult.plan.Planner;
import katapult.provider.MaestroHost;
import katapult.provider.MaestroHosting;
import katapult.provider.Pricing;
import katapult.provider.Provider;
import katapult.provider.ShutdownEffect;
import katapult.providers.ProviderFactory;
import katapult.remote.AgentLifecycle;
import katapult.remote.AgentScripts;
import katapult.remote.Protocol;
import katapult.session.HandOffProject;
import katapult.session.Session;
import katapult.session.SessionException;
import katapult.state.MaestroMarker;
import katapult.state.MaestroMarkers;
import katapult.state.ProjectState;
import katapult.transport.Shell;
import katapult.transport.ShellQuote;
import katapult.util.KatapultHome;

/**
 * Hands a project's session to its remote maestro: records STARTING, finds or makes the maestro instance, prepares
 * it (a JRE, its folder), ships Katapult, the config and its files, the state and the keys, starts Katapult there
 * detached and at most once, then records HANDED_OFF. Every step can be done again: a hand-off interrupted at any
 * point is finished by running it again, and never makes a second maestro or a second maestro process.
 */
public final class HandOff {

    private static final Duration SHORT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path workspace;
    private final ProviderFactory providers;
    private final Consumer<String> progress;
    private final Clock clock;

    public HandOff(Path workspace, ProviderFactory providers, Consumer<String> progress, Clock clock) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.providers = providers;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * The config file to hand over when `run` with {@code config} (null: the project's saved one) is a hand-off: the
     * config asks for the remote maestro, or the project was handed off (or a hand-off began). Empty otherwise, and
     * always on the maestro itself.
     */
    public static Optional<Path> wanted(Path workspace, String project, Path config) {
        if (MaestroMarkers.isTheMaestro()) {
            return Optional.empty();
        }
        if (config != null) {
            Config loaded = ConfigLoader.load(config);
            if (loaded.maestro() == Config.Maestro.REMOTE
                    || MaestroMarkers.read(Session.stateDir(workspace, loaded.project())).isPresent()) {
                return Optional.of(config);
            }
            return Optional.empty();
        }
        List<String> projects = Session.projects(workspace);
        String name = project != null ? project : projects.size() == 1 ? projects.get(0) : null;
        return name == null ? Optional.empty() : MaestroMarkers.read(Session.stateDir(workspace, name))
                .map(m -> Path.of(m.configFile()));
    }

    /**
     * What a hand-off of {@code configFile} would cost per hour, asked before it creates anything: the planned
     * workers' prices and the maestro instance's own. Empty when the provider charges nothing.
     */
    public HandOffCost estimate(Path configFile) {
        try (HandOffProject project = HandOffProject.open(workspace, configFile);
             Provider provider = providers.create(project.config(), project.stateDir())) {
            Optional<Pricing> pricing = provider.pricing();
            if (pricing.isEmpty()) {
                return new HandOffCost(Optional.empty(), project.config().limits().confirmAbove());
            }
            List<Double> hourly = new ArrayList<>(pricing.get().quote(Planner.plan(project.config(),
                    provider::machineCpus, provider::defaultCpus).instances()).stream()
                    .map(Pricing.Quote::hourly).toList());
            provider.maestroHosting().flatMap(MaestroHosting::quote).ifPresent(q -> hourly.add(q.hourly()));
            return new HandOffCost(Optional.of(Estimate.of(hourly)), project.config().limits().confirmAbove());
        }
    }

    /** The estimate of a hand-off and the project's {@code confirm_above}. */
    public record HandOffCost(Optional<Estimate> estimate, double confirmAbove) {
    }

    /** Hands the project of {@code configFile} over; returns the maestro's instance record. */
    public MaestroMarker run(Path configFile) throws IOException {
        try (HandOffProject project = HandOffProject.open(workspace, configFile);
             Provider provider = providers.create(project.config(), project.stateDir())) {
            Path stateDir = project.stateDir();
            MaestroMarker marker = MaestroMarkers.read(stateDir).orElse(null);
            MaestroHosting hosting = provider.maestroHosting().orElseThrow(() -> new SessionException(
                    "maestro 'remote' needs a provider that can host the maestro (aws); the '" + provider.kind()
                            + "' provider cannot: use maestro 'local' in " + configFile));
            if (marker == null) {
                marker = MaestroMarker.starting(configFile.toAbsolutePath().normalize().toString(), clock.instant());
                MaestroMarkers.write(stateDir, marker);
            }
            MaestroHost host = hosting.ensure(progress);
            MaestroMarkers.write(stateDir, marker.withInstance(host.instance()));
            try (Shell shell = provider.shell(host.instance())) {
                prepareAndStart(project, host, shell);
            }
            MaestroMarker done = marker.handedOff() ? marker.withInstance(host.instance())
                    : marker.handedOff(host.instance(), clock.instant());
            MaestroMarkers.write(stateDir, done);
            return done;
        }
    }

    private void prepareAndStart(HandOffProject project, MaestroHost host, Shell shell) throws IOException {
        MaestroFolder folder = new MaestroFolder(project.config().project());
        Shipper ship = new Shipper(shell, folder);
        ship.write(folder.script(), template(), false);
        Map<String, String> agentScripts = AgentScripts.load().scripts();
        for (String name : List.of("protocol.sh", "lifecycle.sh")) {
            ship.write(folder.root() + "/" + name, agentScripts.get(name), false);
        }
        progress.accept("preparing the maestro " + shell.describe() + " (a JRE when it has none)");
        String prepared = shell.exec(folder.call("prepare") + " && printf 'home %s\\n' \"$HOME\"", null,
                Duration.ofMinutes(15)).orThrow("preparing the maestro").stdout();
        String remoteHome = prepared.lines().filter(l -> l.startsWith("home ")).map(l -> l.substring(5))
                .findFirst().orElseThrow(() -> new IOException("the maestro did not say where its home is"));
        List<ClassPathJars.Jar> jars = ClassPathJars.of(System.getProperty("java.class.path"),
                project.stateDir().resolveSibling(".maestro-jars"));
        progress.accept("sent " + ship.jars(jars, remoteHome) + " of Katapult's " + jars.size() + " jars");
        Shipment shipment = Shipment.of(project.config(), project.state().configFiles(), project.stateDir());
        progress.accept("sent " + ship.files(shipment.files()) + " of " + shipment.files().size()
                + " config files and uploads");
        String stateJson = JSON.writeValueAsString(remoteState(project, shipment, folder, remoteHome));
        if (ship.stateOnce(project.stateDir(), stateJson, Set.of("lock", MaestroMarkers.FILE))) {
            progress.accept("sent the project's state");
        }
        shipKeys(ship, folder, project.config().project());
        for (Map.Entry<String, String> file : host.privateFiles().entrySet()) {
            ship.write(folder.root() + "/" + file.getKey(), file.getValue(), true);
        }
        ship.write(folder.root() + "/env", environment(host.environment()), true);
        ship.write(folder.root() + "/lifecycle", lifecycle(project.config().lifecycle(), host.shutdown()).asFile(),
                false);
        String mainConfig = remoteHome + "/" + folder.file(shipment.relative(Path.of(
                project.state().configFiles().get(0))));
        String started = shell.exec(folder.call("start", mainConfig), null, SHORT)
                .orThrow("starting Katapult on the maestro").stdout().strip();
        progress.accept(started.equals("running") ? "Katapult already runs on the maestro"
                : "Katapult started on the maestro");
    }

    /**
     * The project's key pair under Katapult's home: the files {@code keys/<project>} and {@code keys/<project>.pub}
     * (the aws provider's), or a folder {@code keys/<project>/}. The maestro's Katapult then reaches the workers with
     * the key their key pair was imported from, instead of making a key pair of its own.
     */
    private static void shipKeys(Shipper ship, MaestroFolder folder, String project) throws IOException {
        Path keys = KatapultHome.path().resolve("keys");
        for (String name : List.of(project, project + ".pub")) {
            Path key = keys.resolve(name);
            if (Files.isRegularFile(key)) {
                ship.write(folder.home() + "/keys/" + name, Files.readString(key), true);
            }
        }
        ship.privateDir(keys.resolve(project), folder.home() + "/keys/" + project);
    }

    /** The state as the maestro must read it: its config files where they were shipped. */
    private static ProjectState remoteState(HandOffProject project, Shipment shipment, MaestroFolder folder,
                                            String remoteHome) {
        Path stateDir = project.stateDir().toAbsolutePath().normalize();
        List<String> files = new ArrayList<>();
        for (String file : project.state().configFiles()) {
            Path local = Path.of(file).toAbsolutePath().normalize();
            files.add(remoteHome + "/" + (local.startsWith(stateDir)
                    ? folder.state() + "/" + stateDir.relativize(local)
                    : folder.file(shipment.relative(local))));
        }
        return project.state().withConfigFiles(files);
    }

    /** The maestro machine's own idle and dead-man rule: the config's global one, when the provider owns it. */
    private static AgentLifecycle lifecycle(Lifecycle rule, ShutdownEffect shutdown) {
        return new AgentLifecycle(Protocol.Shutdown.valueOf(shutdown.name()), rule.idleStop(), rule.heartbeatTimeout(),
                rule.abandonAfter());
    }

    private static String environment(Map<String, String> variables) {
        StringBuilder env = new StringBuilder();
        variables.forEach((name, value) -> {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("not an environment variable name: " + name);
            }
            env.append("export ").append(name).append('=').append(ShellQuote.quote(value)).append('\n');
        });
        return env.toString();
    }

    static String template() {
        try (InputStream in = HandOff.class.getClassLoader().getResourceAsStream("templates/maestro.sh")) {
            if (in == null) {
                throw new IllegalStateException("templates/maestro.sh is missing from the Katapult build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
