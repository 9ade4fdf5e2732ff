package katapult.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import katapult.config.ConfigKeys.Block;
import katapult.config.EnvironmentSpec.SetupCommand;

/**
 * Binds the environments: names (unique; a lone one may go unnamed and is {@code default}), the set-up command, and
 * the package sources (lists, spec files, existing roots) with the pip options that must agree.
 */
final class EnvironmentBinder {

    private final Binding in;

    EnvironmentBinder(Binding in) {
        this.in = in;
    }

    Set<String> bindEnvironments(RawMap root, List<EnvironmentSpec> environments) {
        List<RawMap> raw = in.items(root, GlobalKeys.ENVIRONMENTS);
        int fromBase = environments.size();
        int total = fromBase + raw.size();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (EnvironmentSpec existing : environments) {
            seen.put(existing.name(), 0);
        }
        for (RawMap m : raw) {
            in.checkKeys(m, Block.ENVIRONMENT);
            String name = in.name(m, EnvironmentKeys.NAME);
            if (name == null && !in.given(m, "name")) {
                if (total == 1) {
                    name = "default";
                } else {
                    in.problem(m.line(), "this environment needs a '" + in.spell(EnvironmentKeys.NAME) + "': there are "
                            + total + " environments" + (fromBase == 0 ? "" : " (with those of the config it adds to)")
                            + ", and only a lone environment may go unnamed");
                }
            }
            if (name != null) {
                int nameLine = in.given(m, "name") ? in.line(m, "name") : m.line();
                Integer first = seen.putIfAbsent(name, nameLine);
                if (first != null) {
                    in.problem(nameLine, "two environments are named '" + name + "'" + in.where(first)
                            + "; environment names must be unique");
                }
            }
            EnvironmentSpec spec = bindEnvironment(m, name == null ? "?" : name);
            if (spec != null) {
                environments.add(spec);
            }
        }
        return seen.keySet();
    }

    private EnvironmentSpec bindEnvironment(RawMap m, String name) {
        SetupCommand command = setupCommand(m);
        PackageSource conda = packages(m, EnvironmentKeys.ENV_CONDA);
        PackageSource pypi = packages(m, EnvironmentKeys.ENV_PYPI);
        String indexUrl = in.read(m, EnvironmentKeys.ENV_PYPI_INDEX_URL);
        Path findLinks = null;
        String links = in.read(m, EnvironmentKeys.ENV_PYPI_FIND_LINKS);
        if (links != null) {
            findLinks = in.path(links, in.line(m, "env_pypi_find_links"), "env_pypi_find_links");
            if (findLinks != null && !Files.isDirectory(findLinks)) {
                in.problem(in.line(m, "env_pypi_find_links"), "'" + in.spell(EnvironmentKeys.ENV_PYPI_FIND_LINKS) + "' must be a local folder of "
                        + "wheels; no such folder '" + links + "' (" + findLinks + ")");
            }
        }
        Boolean noIndexValue = in.read(m, EnvironmentKeys.ENV_PYPI_NO_INDEX);
        boolean noIndex = noIndexValue != null && noIndexValue;
        if (noIndex && links == null && !in.given(m, "env_pypi_find_links")) {
            in.problem(in.line(m, "env_pypi_no_index"), "'" + in.spell(EnvironmentKeys.ENV_PYPI_NO_INDEX) + "' installs only from '"
                    + in.spell(EnvironmentKeys.ENV_PYPI_FIND_LINKS) + "', which is not set");
        }
        if (noIndex && indexUrl != null) {
            in.problem(in.line(m, "env_pypi_no_index"), "'" + in.spell(EnvironmentKeys.ENV_PYPI_NO_INDEX) + "' and '"
                    + in.spell(EnvironmentKeys.ENV_PYPI_INDEX_URL) + "' contradict each other: pip cannot both use an index and none");
        }
        return new EnvironmentSpec(name, command, in.words(m, EnvironmentKeys.ENV_APTGET), conda,
                in.words(m, EnvironmentKeys.ENV_CONDA_CHANNELS), pypi, in.words(m, EnvironmentKeys.ENV_JULIA), indexUrl, findLinks, noIndex);
    }

    private SetupCommand setupCommand(RawMap m) {
        String command = in.read(m, EnvironmentKeys.COMMAND);
        if (command == null || command.isBlank()) {
            return null;
        }
        int line = in.line(m, "command");
        Path p = in.quietPath(command.trim());
        if (p != null && Files.isRegularFile(p)) {
            return new SetupCommand.ScriptFile(p);
        }
        if (command.trim().endsWith(".sh")) {
            in.problem(line, "'" + in.spell(EnvironmentKeys.COMMAND) + "': no such file '" + command.trim() + "'"
                    + (p != null ? " (" + p + ")" : "") + "; a name ending in .sh must be a local script to upload");
            return null;
        }
        return new SetupCommand.Inline(command);
    }

    private PackageSource packages(RawMap m, ConfigKey<Object> key) {
        Located v = in.val(m, key.name());
        if (v == null) {
            return null;
        }
        if (v.value() instanceof List) {
            List<String> names = Readers.words().read(v, in.spell(key), in);
            return names.isEmpty() ? null : new PackageSource.Packages(names);
        }
        if (!(v.value() instanceof CharSequence)) {
            in.problem(v.line(), "'" + in.spell(key) + "' must be a list of packages, or a string (a file, a folder or one"
                    + " package), got " + Readers.show(v.value()));
            return null;
        }
        String s = v.value().toString().trim();
        if (s.isEmpty()) {
            return null;
        }
        Path p = in.quietPath(s);
        if (p != null && Files.isRegularFile(p)) {
            return new PackageSource.SpecFile(p);
        }
        if (p != null && Files.isDirectory(p)) {
            return new PackageSource.ExistingRoot(p.toString());
        }
        String lower = s.toLowerCase(Locale.ROOT);
        boolean specLike = lower.endsWith(".txt") || lower.endsWith(".yml") || lower.endsWith(".yaml");
        if (specLike || s.contains("/")) {
            if (!specLike && s.startsWith("/") && in.provider != Config.ProviderKind.LOCAL) {
                // an absolute folder that only the instances have: an environment already installed there
                return new PackageSource.ExistingRoot(s);
            }
            in.problem(v.line(), "'" + in.spell(key) + "': no such file '" + s + "'"
                    + (p != null ? " (" + p + ")" : "") + (specLike ? "" : "; a folder must be an existing environment root"));
            return null;
        }
        return new PackageSource.Packages(List.of(s));
    }

}
