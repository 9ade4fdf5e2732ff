package katapult.util;

import java.nio.file.Path;

/**
 * Katapult's own folder outside any project on this machine (each project's key pair, cached prices):
 * {@code katapult.home}, else {@code KATAPULT_HOME}, else {@code ~/.katapult}.
 */
public final class KatapultHome {

    private KatapultHome() {
    }

    public static Path path() {
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
