package katapult.maestro;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import katapult.config.Config;
import katapult.config.EnvironmentSpec;
import katapult.config.JobSpec;
import katapult.config.PackageSource;

/**
 * The files of a project the maestro needs besides Katapult itself: the config files and every file the config
 * names (uploads, inputs, run scripts, set-up scripts, spec files, wheel folders), each by its path relative to
 * their common folder, so the config finds them on the maestro as it does here. Files under the project's state
 * folder (saved jobs) are not among them: they go with the state.
 *
 * @param base  the common folder of every file
 * @param files path relative to {@code base} → the file here
 */
record Shipment(Path base, Map<String, Path> files) {

    Shipment {
        files = Map.copyOf(files);
    }

    /** What {@code config} (loaded from {@code configFiles}) needs, leaving out what lies under {@code stateDir}. */
    static Shipment of(Config config, List<String> configFiles, Path stateDir) {
        Path state = stateDir.toAbsolutePath().normalize();
        List<Path> named = new ArrayList<>();
        configFiles.forEach(f -> named.add(Path.of(f)));
        for (JobSpec job : config.jobs()) {
            named.addAll(job.uploadFiles());
            named.addAll(job.inputFiles());
            if (job.runScript() != null) {
                named.add(job.runScript().script());
            }
        }
        for (EnvironmentSpec env : config.environments()) {
            if (env.command() instanceof EnvironmentSpec.SetupCommand.ScriptFile script) {
                named.add(script.file());
            }
            for (PackageSource source : new PackageSource[] {env.conda(), env.pypi()}) {
                if (source instanceof PackageSource.SpecFile spec) {
                    named.add(spec.file());
                }
            }
            if (env.pypiFindLinks() != null) {
                named.add(env.pypiFindLinks());
            }
        }
        List<Path> files = named.stream().map(p -> p.toAbsolutePath().normalize())
                .filter(p -> !p.startsWith(state)).flatMap(Shipment::regularFiles).distinct().toList();
        Path base = Path.of(configFiles.get(0)).toAbsolutePath().normalize().getParent();
        for (Path file : files) {
            while (!file.startsWith(base)) {
                base = base.getParent();
            }
        }
        Map<String, Path> byRelative = new LinkedHashMap<>();
        for (Path file : files) {
            byRelative.put(base.relativize(file).toString(), file);
        }
        return new Shipment(base, byRelative);
    }

    /** Where a file of this machine lies on the maestro, relative to the files' folder; null when not shipped. */
    String relative(Path local) {
        Path file = local.toAbsolutePath().normalize();
        return file.startsWith(base) && files.containsKey(base.relativize(file).toString())
                ? base.relativize(file).toString() : null;
    }

    private static Stream<Path> regularFiles(Path path) {
        if (Files.isRegularFile(path)) {
            return Stream.of(path);
        }
        if (!Files.isDirectory(path)) {
            return Stream.empty();
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
    }
}
