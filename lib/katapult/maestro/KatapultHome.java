package katapult.maestro;

import java.nio.file.Path;

/**
 * Katapult's own folder outside any project on this machine (where the aws provider keeps each project's key
 * pair): {@code katapult.home}, else {@code KATAPULT_HOME}, else {@code ~/.katapult}, as the provider reads it.
 */
final class KatapultHome {

    private KatapultHome() {
    }

    static Path local() {
        String prop = System.getProperty("katapult.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("KATAPULT_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".katapult");
    }
}
