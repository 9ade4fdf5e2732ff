package katapult.config;

/**
 * The keys of an instance entry that the ssh provider reads: the machine to reach.
 *
 * @param host host name or address
 * @param user SSH user; null for the SSH client's default
 * @param port SSH port, default 22
 * @param key  private key file; null for the ~/.ssh defaults
 */
public record SshHostSettings(String host, String user, Integer port, String key) implements InstanceSettings {

    /** What an entry of another provider has: nothing set. */
    public static final SshHostSettings NONE = new SshHostSettings(null, null, null, null);

    public SshHostSettings withHost(String newHost, String newUser, Integer newPort) {
        return new SshHostSettings(newHost, newUser, newPort, key);
    }
}
