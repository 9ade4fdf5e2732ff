package katapult.providers;

import java.nio.file.Path;

import katapult.config.Config;
import katapult.provider.Provider;
import katapult.provider.aws.AwsProvider;
import katapult.provider.local.LocalProvider;
import katapult.provider.slurm.SlurmProvider;
import katapult.provider.ssh.SshProvider;

/**
 * Picks the provider a config names. It lives above the concrete providers so that {@code katapult.provider} (the
 * interface they implement) never depends on them.
 */
public final class Providers {

    private Providers() {
    }

    public static Provider create(Config config, Path projectStateDir) {
        return switch (config.provider()) {
            case LOCAL -> new LocalProvider(projectStateDir);
            case SSH -> new SshProvider(config, projectStateDir);
            case AWS -> AwsProvider.create(config, projectStateDir);
            case SLURM -> new SlurmProvider(config, projectStateDir);
        };
    }
}
