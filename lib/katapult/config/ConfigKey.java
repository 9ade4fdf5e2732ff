package katapult.config;

import java.util.Arrays;
import java.util.Locale;
import katapult.config.ConfigKeys.Block;

/**
 * One key of the config language, declared once in its block's table ({@link GlobalKeys}, {@link InstanceKeys},
 * {@link EnvironmentKeys}, {@link JobKeys}): the DSL, the binder, {@code check}, completion and the reference
 * documentation all read it from there.
 *
 * @param block        where it is written
 * @param name         its map-form (snake_case) name
 * @param camel        its block-form name (a method of the block's delegate)
 * @param type         how its value is read and checked
 * @param takes        what it takes, in words (the reference's "takes" column)
 * @param defaultValue what it is when absent or null, in words
 * @param providers    which providers read it ("all" or a list such as "local, aws")
 * @param meaning      what it does
 * @param inertDefault for a key accepted but without effect yet, the value that needs no warning; null otherwise
 * @param <T>          the typed value
 */
public record ConfigKey<T>(Block block, String name, String camel, ValueType<T> type, String takes,
                           String defaultValue, String providers, String meaning, T inertDefault) {

    public String spelled(ConfigForm form) {
        return form == ConfigForm.BLOCK ? camel : name;
    }

    /** Whether the provider named {@code provider} ("local", "ssh", "aws") reads this key. */
    public boolean appliesTo(String provider) {
        return providers.equals("all")
                || Arrays.stream(providers.split(",\\s*")).anyMatch(p -> p.equals(provider.toLowerCase(Locale.ROOT)));
    }

    /** {@code cpus_req} → {@code cpusReq}. */
    public static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(ch) : ch);
                up = false;
            }
        }
        return b.toString();
    }
}
