package katapult.config;

import java.io.File;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import katapult.config.ConfigKeys.Block;

/**
 * What the binders of one config file share: the file and its folder, the form it is written in, the config it
 * adds to, the provider in force, the problems found so far, and the reads every block needs (a key's typed value
 * through the key table, its line, paths resolved against the file's folder).
 */
final class Binding implements ProblemSink {

    final Path source;
    final Path dir;
    final String file;
    final ConfigForm form;
    /** The config an addition adds to; null for a whole config. */
    final Config base;
    final KeptNames kept;
    final List<Problem> problems = new ArrayList<>();
    /** The provider in force, known once the globals are read. */
    Config.ProviderKind provider = Config.ProviderKind.LOCAL;
    /** Whether an ssh_cidr may open SSH to every address, known once the globals are read. */
    boolean sshOpen;

    Binding(Path source, String file, ConfigForm form, Config base, KeptNames kept) {
        this.source = source.toAbsolutePath().normalize();
        Path parent = this.source.getParent();
        this.dir = parent == null ? Path.of("").toAbsolutePath() : parent;
        this.file = file;
        this.form = form;
        this.base = base;
        this.kept = kept;
    }

    // ------------------------------------------------------------------------------------------- reads

    /** The typed value of {@code key} in {@code m}: null when absent, null, or reported as wrong. */
    <T> T read(RawMap m, ConfigKey<T> key) {
        return key.type().read(val(m, key.name()), key.spelled(form), this);
    }

    /** A key read as a list of words: empty when absent. */
    List<String> words(RawMap m, ConfigKey<List<String>> key) {
        List<String> words = read(m, key);
        return words == null ? List.of() : words;
    }

    /** The items of a list block ({@code instances}, ...); each must be a map. */
    @SuppressWarnings("unchecked")
    List<RawMap> items(RawMap root, ConfigKey<?> key) {
        Block block = key.type().opens();
        Located v = val(root, key.name());
        if (v == null) {
            return List.of();
        }
        if (v.value() instanceof RawMap single) {
            return List.of(single);
        }
        String name = key.name();
        if (!(v.value() instanceof List)) {
            problem(v.line(), "'" + name + "' must be a list of maps: " + name + ": [[key: value, ...], ...], got "
                    + Readers.show(v.value()));
            return List.of();
        }
        List<RawMap> maps = new ArrayList<>();
        for (Located item : (List<Located>) v.value()) {
            if (item.value() instanceof RawMap map) {
                maps.add(map);
            } else if (item.value() != null) {
                problem(item.line(), "each entry of '" + name + "' must be a map [key: value, ...] describing "
                        + block.describe(form) + ", got " + Readers.show(item.value()));
            }
        }
        return maps;
    }

    /** Reports the keys of {@code m} that {@code block} does not have. */
    void checkKeys(RawMap m, Block block) {
        for (String key : m.keys()) {
            if (ConfigKeys.find(block, key).isEmpty()) {
                problem(line(m, key), ConfigKeys.unknownKey(block, key, form));
            }
        }
    }

    /** The {@code name} of an entry, checked against {@link ConfigBinder#NAME}. */
    String name(RawMap m, ConfigKey<String> key) {
        String name = read(m, key);
        if (name != null && !ConfigBinder.NAME.matcher(name).matches()) {
            problem(line(m, key.name()), "the " + key.block().word() + " name '" + name + "' " + ConfigBinder.NAME_RULE);
        }
        return name;
    }

    static Located val(RawMap m, String key) {
        Located l = m.get(key);
        return l == null || l.value() == null ? null : l;
    }

    static boolean given(RawMap m, String key) {
        return val(m, key) != null;
    }

    /** The line of {@code key} in {@code m}, or the entry's own line when the key has none. */
    static int line(RawMap m, String key) {
        Located l = m.get(key);
        return l == null || l.line() <= 0 ? m.line() : l.line();
    }

    // ------------------------------------------------------------------------------------------- paths

    Path path(String s, int line, String key) {
        Path p = quietPath(s);
        if (p == null) {
            problem(line, "'" + s + "' is not a valid path ('" + key + "')");
        }
        return p;
    }

    /** {@code s} resolved against the file's folder ({@code ~/} against the home folder); null when not a path. */
    Path quietPath(String s) {
        try {
            String expanded = s;
            if (s.equals("~") || s.startsWith("~/")) {
                expanded = System.getProperty("user.home") + s.substring(1);
            }
            Path p = Path.of(expanded);
            return (p.isAbsolute() ? p : dir.resolve(p)).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** A script's path as it enters a default job name: relative to the first config file of the project. */
    String relativeForHash(Path script) {
        Path root = base != null && base.source() != null && base.source().getParent() != null
                ? base.source().toAbsolutePath().getParent() : dir;
        try {
            return root.relativize(script).toString().replace(File.separatorChar, '/');
        } catch (IllegalArgumentException e) {
            return script.toString();
        }
    }

    // ---------------------------------------------------------------------------------------- messages

    /** How a key is spelled in this file's form. */
    String spell(ConfigKey<?> key) {
        return key.spelled(form);
    }

    String spell(Block b, String key) {
        return ConfigKeys.spell(b, key, form);
    }

    String aliasSpelling(String alias) {
        return form == ConfigForm.BLOCK ? ConfigKeys.camel(alias) : alias;
    }

    @Override
    public void problem(int line, String message) {
        problems.add(new Problem(file, line, message));
    }

    /** A job name that the config being added to already has: callers that submit jobs decide on its code. */
    void nameTaken(int line, String message, String name) {
        problems.add(new Problem(file, line, message, Problem.Code.JOB_NAME_TAKEN, name));
    }

    /** Where the other of two same names is: its line, or the config this file adds to. */
    static String where(int line) {
        return line > 0 ? " (the other at line " + line + ")" : " (the other in the config this file adds to)";
    }

    /** The known machine cpus of an entry without asking the provider: this machine's for local, unknown otherwise. */
    int knownMachineCpus(InstanceSpec spec) {
        return provider == Config.ProviderKind.LOCAL ? Runtime.getRuntime().availableProcessors() : Integer.MAX_VALUE;
    }

}
