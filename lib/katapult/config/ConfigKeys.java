package katapult.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The key table as a whole: lookups by spelling, the unknown-key message with its did-you-mean, and the
 * reference documentation ({@link #markdownTables()}). The keys themselves are declared in the block tables
 * {@link GlobalKeys}, {@link InstanceKeys}, {@link EnvironmentKeys} and {@link JobKeys}.
 */
public final class ConfigKeys {

    private ConfigKeys() {
    }

    /** Where a key may be written. */
    public enum Block {
        CONFIG("katapult { }", "config = [ ]"),
        INSTANCE("instance { }", "instances: [[ ]]"),
        ENVIRONMENT("environment { }", "environments: [[ ]]"),
        JOB("job { }", "jobs: [[ ]]");

        private final String blockTitle;
        private final String mapTitle;

        Block(String blockTitle, String mapTitle) {
            this.blockTitle = blockTitle;
            this.mapTitle = mapTitle;
        }

        /** How the block is named in a message, e.g. "an instance" or "the katapult block". */
        public String describe(ConfigForm form) {
            return switch (this) {
                case CONFIG -> form == ConfigForm.BLOCK ? "the katapult block" : "the top level of config";
                case INSTANCE -> "an instance";
                case ENVIRONMENT -> "an environment";
                case JOB -> "a job";
            };
        }

        public String title(ConfigForm form) {
            return form == ConfigForm.BLOCK ? blockTitle : mapTitle;
        }

        /** "instance", "environment", "job", "config". */
        public String word() {
            return this == CONFIG ? "config" : name().toLowerCase(Locale.ROOT);
        }
    }

    /** Alternative map-form names (the singular of a list key) and the key they stand for. */
    public static final Map<String, String> ALIASES = Map.of(
            "input_file", "input_files",
            "output_file", "output_files");

    /** Every key, in documentation order: the block tables one after the other. */
    private static final List<ConfigKey<?>> ALL = Stream.of(GlobalKeys.keys(), InstanceKeys.keys(),
            EnvironmentKeys.keys(), JobKeys.keys()).flatMap(List::stream).toList();

    /** The keys of one block, in documentation order. */
    public static List<ConfigKey<?>> keys(Block block) {
        return ALL.stream().filter(k -> k.block() == block).toList();
    }

    public static List<ConfigKey<?>> all() {
        return List.copyOf(ALL);
    }

    /** The key named {@code name} (map spelling, aliases included) in {@code block}. */
    public static Optional<ConfigKey<?>> find(Block block, String name) {
        String canonical = ALIASES.getOrDefault(name, name);
        return ALL.stream().filter(k -> k.block() == block && k.name().equals(canonical)).findFirst();
    }

    /** The key spelled {@code spelled} in the given form (aliases included) in {@code block}. */
    public static Optional<ConfigKey<?>> findSpelled(Block block, String spelled, ConfigForm form) {
        for (ConfigKey<?> k : ALL) {
            if (k.block() == block && k.spelled(form).equals(spelled)) {
                return Optional.of(k);
            }
        }
        for (Map.Entry<String, String> a : ALIASES.entrySet()) {
            String aliasSpelled = form == ConfigForm.BLOCK ? camel(a.getKey()) : a.getKey();
            if (aliasSpelled.equals(spelled)) {
                Optional<ConfigKey<?>> k = find(block, a.getValue());
                if (k.isPresent()) {
                    return k;
                }
            }
        }
        return Optional.empty();
    }

    /** {@code cpus_req} → {@code cpusReq}. */
    public static String camel(String snake) {
        return ConfigKey.camel(snake);
    }

    /** How a (known, canonical) key is spelled in messages for the given form. */
    public static String spell(Block block, String name, ConfigForm form) {
        return find(block, name).map(k -> k.spelled(form)).orElse(form == ConfigForm.BLOCK ? camel(name) : name);
    }

    /** Every spelling accepted in a block, for did-you-mean. */
    public static Set<String> spellings(Block block, ConfigForm form) {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigKey<?> k : keys(block)) {
            names.add(k.spelled(form));
        }
        if (block == Block.JOB) {
            for (String alias : ALIASES.keySet()) {
                names.add(form == ConfigForm.BLOCK ? camel(alias) : alias);
            }
        }
        return names;
    }

    /**
     * The message for a key that does not exist in {@code block}: a close spelling, or the block the
     * key belongs to, or the list of keys.
     */
    public static String unknownKey(Block block, String spelled, ConfigForm form) {
        Set<String> known = spellings(block, form);
        String where = block.describe(form);
        Optional<String> close = DidYouMean.suggest(spelled, known);
        if (close.isPresent()) {
            return "unknown key '" + spelled + "' in " + where + "; did you mean '" + close.get() + "'?";
        }
        for (Block other : Block.values()) {
            if (other != block && findSpelled(other, spelled, form).isPresent()) {
                return "'" + spelled + "' cannot be set in " + where + ": it belongs in " + other.describe(form)
                        + hintFor(block, spelled, form);
            }
        }
        return "unknown key '" + spelled + "' in " + where + " (known keys: "
                + known.stream().collect(Collectors.joining(", ")) + ")";
    }

    private static String hintFor(Block block, String spelled, ConfigForm form) {
        if (block == Block.JOB && spelled.equals("cpus")) {
            return "; a job asks for cpus with '" + spell(Block.JOB, "cpus_req", form) + "'";
        }
        if (block == Block.CONFIG && spelled.equals("name")) {
            return "; the project is named with '" + spell(Block.CONFIG, "project", form) + "'";
        }
        return "";
    }

    /**
     * The reference tables in markdown: one table per block with every key's spelling in both forms,
     * what it takes, its default, the providers that read it and its meaning.
     */
    public static String markdownTables() {
        StringBuilder b = new StringBuilder();
        for (Block block : Block.values()) {
            b.append("### ").append(switch (block) {
                case CONFIG -> "Global keys";
                case INSTANCE -> "Instance keys";
                case ENVIRONMENT -> "Environment keys";
                case JOB -> "Job keys";
            }).append(" — `").append(block.title(ConfigForm.BLOCK)).append("` / `")
                    .append(block.title(ConfigForm.MAP)).append("`\n\n");
            b.append("| map key | block method | takes | default | provider | meaning |\n");
            b.append("|---|---|---|---|---|---|\n");
            for (ConfigKey<?> k : keys(block)) {
                b.append("| `").append(k.name()).append("` | `").append(k.camel()).append("` | ")
                        .append(k.takes()).append(" | ").append(k.defaultValue()).append(" | ")
                        .append(k.providers()).append(" | ").append(k.meaning()).append(" |\n");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
