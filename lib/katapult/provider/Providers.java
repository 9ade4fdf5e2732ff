package katapult.provider;

import java.nio.file.Path;

import katapult.config.Config;
import katapult.provider.local.LocalProvider;

/** Picks the provider a config names. */
public final class Providers {

    private Providers() {
    }

    public static Provider create(Config config, Path projectStateDir) {
        return switch (config.provider()) {
            case LOCAL -> new LocalProvider(projectStateDir);
            case AWS -> katapult.provider.aws.AwsProvider.create(config, projectStateDir);
            case SSH -> throw new UnavailableProviderException("provider '"
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
