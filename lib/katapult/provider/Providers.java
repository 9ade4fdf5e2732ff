package katapult.provider;

import java.nio.file.Path;

import katapult.config.Config;
import katapult.provider.local.LocalProvider;
import katapult.provider.ssh.SshProvider;

/** Picks the provider a config names. */
public final class Providers {

    private Providers() {
    }

    public static Provider create(Config config, Path projectStateDir) {
        return switch (config.provider()) {
            case LOCAL -> new LocalProvider(projectStateDir);
            case SSH -> new SshProvider(config, projectStateDir);
            case AWS -> throw new UnavailableProviderException("provider '"
                    + config.provider().name().toLowerCase() + "' is not available in this version of Katapult yet:"
                    + " its config passes `katapult check`, but only the 'local' provider can run it");
        };
    }

    /** The config names a provider this build cannot drive. */
    public static final class UnavailableProviderException extends RuntimeException {
        public UnavailableProviderException(String message) {
            super(message);
        }
    }
}
