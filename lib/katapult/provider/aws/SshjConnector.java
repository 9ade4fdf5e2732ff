package katapult.provider.aws;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import katapult.transport.Shell;
import katapult.transport.SshConnections;
import katapult.transport.SshSettings;
import katapult.transport.SshTarget;

/**
 * The SSH transport's pooled connections, one pool per known-hosts file (one per project). Host keys are pinned on
 * first contact into the project's known_hosts, under the instance's id; when the instance's console already showed
 * its host key fingerprints, only a key among them is pinned.
 */
final class SshjConnector implements SshConnector, AutoCloseable {

    private final Map<Path, SshConnections> pools = new ConcurrentHashMap<>();

    @Override
    public Shell connect(String instanceId, String host, int port, String user, Path privateKey,
                         List<String> fingerprints, Path knownHosts) {
        SshConnections pool = pools.computeIfAbsent(knownHosts, k -> new SshConnections(SshSettings.defaults(k)));
        return pool.shell(new SshTarget(user, host, port, privateKey), instanceId, fingerprints);
    }

    @Override
    public void close() {
        pools.values().forEach(SshConnections::close);
        pools.clear();
    }
}
