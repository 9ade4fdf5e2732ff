package katapult.provider.aws;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import katapult.transport.Shell;

/**
 * Opens the SSH shell on an instance. The aws provider knows where to go; the SSH transport knows how.
 *
 * @see AwsProvider#shell
 */
@FunctionalInterface
public interface SshConnector {

    /**
     * @param instanceId   the instance's id: its host key is pinned under it, not under the address (EC2 reuses them)
     * @param host         public address of the instance
     * @param port         its SSH port ({@code ssh_port})
     * @param user         {@code img_username}
     * @param privateKey   the project's private key file (mode 0600)
     * @param fingerprints SHA256 host key fingerprints read from the console output; empty: pin on first contact
     * @param knownHosts   where pinned host keys are kept
     */
    Shell connect(String instanceId, String host, int port, String user, Path privateKey, List<String> fingerprints,
                  Path knownHosts) throws IOException;

    /** Refuses every connection (a provider that must never reach its instances). */
    SshConnector UNAVAILABLE = (id, host, port, user, key, fingerprints, knownHosts) -> {
        throw new IOException("cannot reach " + user + "@" + host + ":" + port
                + ": this provider was made without SSH");
    };
}
