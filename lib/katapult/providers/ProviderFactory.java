package katapult.providers;

import java.nio.file.Path;

import katapult.config.Config;
import katapult.provider.Provider;

/**
 * Makes the provider a session drives. The CLI and the API use {@link Providers#create}; a test, or an embedding
 * program, passes its own (for example an AWS provider whose instances are reached through its own SSH hosts).
 */
@FunctionalInterface
public interface ProviderFactory {

    /** The provider {@link Providers#create} picks from the config. */
    ProviderFactory DEFAULT = Providers::create;

    Provider create(Config config, Path projectStateDir);
}
