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
            case AWS -> katapult.provider.aws.AwsProvider.create(config, projectStateDir);
        };
    }

    /** The config names a provider this build cannot drive. */
    public static final class UnavailableProviderException extends RuntimeException {
        public UnavailableProviderException(String message) {
            super(message);
        }
    }
}
