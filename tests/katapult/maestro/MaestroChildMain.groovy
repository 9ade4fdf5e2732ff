package katapult.maestro

import java.nio.file.Path

import katapult.cli.Main
import katapult.providers.ProviderFactory
import katapult.session.SessionSource
import katapult.transport.SshTarget

/**
 * The laptop's Katapult as a JVM of its own, with the {@link MaestroTestProvider}: the maestro is the SSH test host
 * named by the system properties {@code katapult.test.maestro} (user@host:port), {@code .key} and {@code .dir}.
 */
class MaestroChildMain {

    static void main(String[] args) {
        def target = SshTarget.parse(System.getProperty('katapult.test.maestro'), null, 22,
                Path.of(System.getProperty('katapult.test.maestro.key')))
        def dir = Path.of(System.getProperty('katapult.test.maestro.dir'))
        boolean hang = Boolean.getBoolean('katapult.test.maestro.hang')
        ProviderFactory providers = { config, stateDir -> new MaestroTestProvider(config, stateDir, target, dir, hang) } as ProviderFactory
        System.exit(Main.run(System.out, System.err, SessionSource.direct(providers), args))
    }
}
