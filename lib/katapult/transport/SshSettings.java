package katapult.transport;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How SSH connections are made.
 *
 * @param sshDir          the user's SSH folder: default keys ({@code id_ed25519}, {@code id_ecdsa}, {@code id_rsa}) and the
 *                        trusted {@code known_hosts}; {@code ~/.ssh}, or {@code $KATAPULT_SSH_DIR}
 * @param knownHosts      the project's own known-hosts file, where first contacts are pinned
 * @param passphrase      passphrase of encrypted keys (from {@code $KATAPULT_SSH_PASSPHRASE}), or null
 * @param connectTimeout  how long a connection (TCP + handshake + login) may take
 * @param keepAlive       interval of keep-alive messages; a connection that misses several is dropped
 * @param backoffMin      wait before the first reconnection attempt after a failure; doubles after each failure
 * @param backoffMax      longest wait between two attempts
 */
public record SshSettings(Path sshDir, Path knownHosts, String passphrase, Duration connectTimeout,
                          Duration keepAlive, Duration backoffMin, Duration backoffMax) {

    /** Environment variable holding the passphrase of encrypted private keys. */
    public static final String PASSPHRASE_ENV = "KATAPULT_SSH_PASSPHRASE";
    /** Environment variable naming another folder than {@code ~/.ssh} for default keys and known_hosts. */
    public static final String SSH_DIR_ENV = "KATAPULT_SSH_DIR";

    /** The defaults, with the project's known-hosts file. */
    public static SshSettings defaults(Path projectKnownHosts) {
        String dir = System.getenv(SSH_DIR_ENV);
        Path sshDir = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".ssh");
        return new SshSettings(sshDir, projectKnownHosts, System.getenv(PASSPHRASE_ENV), Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofMillis(250), Duration.ofSeconds(5));
    }

    public Path userKnownHosts() {
        return sshDir.resolve("known_hosts");
    }
}
