package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path

import katapult.cli.Main
import katapult.providers.ProviderFactory
import katapult.session.SessionSource
import katapult.transport.LocalShell

/**
 * Katapult's own main in a child JVM whose aws instances are folders {@code <katapult.test.machines>/<address>}
 * (the stand-in for SSH until the SSH test hosts land), so a spec can kill it with SIGKILL mid-launch.
 */
class AwsChildMain {

    static void main(String[] args) {
        Path machines = Path.of(System.getProperty('katapult.test.machines'))
        SshConnector folders = { id, host, port, user, key, fingerprints, knownHosts ->
            new LocalShell(Files.createDirectories(machines.resolve(host)), "${user}@${host}")
        } as SshConnector
        ProviderFactory providers = { config, dir -> AwsProvider.create(config, dir, folders) } as ProviderFactory
        System.exit(Main.run(System.out, System.err, SessionSource.direct(providers), args))
    }
}
