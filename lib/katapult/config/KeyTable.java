package katapult.config;

import java.util.ArrayList;
import java.util.List;
import katapult.config.ConfigKeys.Block;

/**
 * The keys of one block in documentation order, filled while its table class is initialised (each constant
 * registers itself) and read-only after that.
 */
final class KeyTable {

    private final Block block;
    private final List<ConfigKey<?>> keys = new ArrayList<>();

    KeyTable(Block block) {
        this.block = block;
    }

    /** Declares a key whose block-form name is its map-form name in camelCase. */
    <T> ConfigKey<T> key(String name, ValueType<T> type, String takes, String defaultValue, String providers,
                         String meaning) {
        return key(name, ConfigKey.camel(name), type, takes, defaultValue, providers, meaning);
    }

    <T> ConfigKey<T> key(String name, String camel, ValueType<T> type, String takes, String defaultValue,
                         String providers, String meaning) {
        return add(new ConfigKey<>(block, name, camel, type, takes, defaultValue, providers, meaning, null));
    }

    /** Declares a key that is accepted but has no effect yet: setting it to anything but {@code quiet} is warned about. */
    <T> ConfigKey<T> inert(String name, ValueType<T> type, String takes, String defaultValue, String providers,
                           String meaning, T quiet) {
        return add(new ConfigKey<>(block, name, ConfigKey.camel(name), type, takes, defaultValue, providers, meaning,
                quiet));
    }

    private <T> ConfigKey<T> add(ConfigKey<T> key) {
        keys.add(key);
        return key;
    }

    List<ConfigKey<?>> keys() {
        return List.copyOf(keys);
    }
}
