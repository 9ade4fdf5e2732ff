package katapult.provider;

/**
 * A quota of the provider's account set against what the config's instances take of it.
 *
 * @param name       what is counted and where, with the quota's code (e.g. on-demand standard vCPUs in us-east-1)
 * @param wanted     how much of it the config's instances take together
 * @param limit      the account's quota; null when it could not be read
 * @param unreadable why it could not be read (access denied, unreachable, ...); null when it was read
 */
public record Quota(String name, long wanted, Long limit, String unreadable) {

    /** Read, and at least what the config asks for. */
    public boolean enough() {
        return limit != null && wanted <= limit;
    }
}
