package katapult.provider;

/**
 * A check a provider can make before anything is planned or created (credentials, region), so that a command fails
 * early with a message to act on instead of half-way through.
 */
@FunctionalInterface
public interface Preflight {

    /** Throws {@link ProviderException} (or a config error) saying what to fix; returns when all is in order. */
    void check();
}
