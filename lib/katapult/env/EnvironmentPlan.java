package katapult.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import katapult.config.EnvironmentSpec;
import katapult.config.EnvironmentSpec.SetupCommand;
import katapult.config.PackageSource;
import katapult.util.Hashes;

/**
 * An environment as its spec/ folder on an instance: text files written as they are, local files sent through
 * the content store. Its key (name + hash prefix) changes with any of them, so a changed environment is a new one
 * and an unchanged one is set up once per instance.
 *
 * @param spec       the environment as configured
 * @param key        folder name on the instance
 * @param texts      spec/ file name → content
 * @param localFiles spec/ file name → local file
 * @param fileHashes spec/ file name → sha256 of the local file
 */
public record EnvironmentPlan(EnvironmentSpec spec, String key, Map<String, String> texts,
                              Map<String, Path> localFiles, Map<String, String> fileHashes) {

    public static EnvironmentPlan of(EnvironmentSpec spec) {
        Map<String, String> texts = new TreeMap<>();
        Map<String, Path> files = new TreeMap<>();
        lines(texts, "aptget", spec.aptget());
        source(spec.conda(), "conda", "environment.yml", "conda-root", texts, files);
        lines(texts, "channels", spec.condaChannels());
        source(spec.pypi(), "pypi", "requirements.txt", "venv-root", texts, files);
        lines(texts, "pip-args", pipArgs(spec, files));
        lines(texts, "julia", spec.julia());
        if (spec.command() instanceof SetupCommand.ScriptFile script) {
            files.put("command", script.file());
        } else if (spec.command() instanceof SetupCommand.Inline inline) {
            texts.put("command", inline.command() + "\n");
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        files.forEach((name, path) -> hashes.put(name, Hashes.ofFile(path)));
        StringBuilder identity = new StringBuilder("env\n").append(spec.name()).append('\n');
        texts.forEach((name, text) -> identity.append("text ").append(name).append('\n').append(text).append('\n'));
        hashes.forEach((name, sha) -> identity.append("file ").append(name).append(' ').append(sha).append('\n'));
        String key = spec.name() + "-" + Hashes.of(identity.toString()).substring(0, 12);
        return new EnvironmentPlan(spec, key, texts, new LinkedHashMap<>(files), hashes);
    }

    private static void source(PackageSource source, String listName, String fileName, String rootName,
                               Map<String, String> texts, Map<String, Path> files) {
        if (source instanceof PackageSource.Packages packages) {
            lines(texts, listName, packages.names());
        } else if (source instanceof PackageSource.SpecFile file) {
            files.put(fileName, file.file());
        } else if (source instanceof PackageSource.ExistingRoot root) {
            texts.put(rootName, root.path() + "\n");
        }
    }

    /** pip's index options; a wheel folder travels with the environment and pip reads it from spec/wheels. */
    private static List<String> pipArgs(EnvironmentSpec spec, Map<String, Path> files) {
        List<String> args = new ArrayList<>();
        if (spec.pypiIndexUrl() != null) {
            args.add("--index-url");
            args.add(spec.pypiIndexUrl());
        }
        if (spec.pypiNoIndex()) {
            args.add("--no-index");
        }
        if (spec.pypiFindLinks() != null) {
            try (Stream<Path> wheels = Files.list(spec.pypiFindLinks())) {
                wheels.filter(Files::isRegularFile).sorted()
                        .forEach(w -> files.put("wheels/" + w.getFileName(), w));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list wheel folder " + spec.pypiFindLinks(), e);
            }
            args.add("--find-links");
            args.add("spec/wheels");
        }
        return args;
    }

    private static void lines(Map<String, String> texts, String name, List<String> values) {
        if (!values.isEmpty()) {
            texts.put(name, String.join("\n", values) + "\n");
        }
    }

    public String name() {
        return spec.name();
    }
}
