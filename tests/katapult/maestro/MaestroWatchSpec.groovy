package katapult.maestro

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The maestro machine's own idle and dead-man rule: maestro.sh's watcher (started by any maestro.sh command once the
 * hand-off wrote the lifecycle file) shuts the machine down with the test suite's shutdown command (it only records
 * the request in the home folder), never while its Katapult runs, never on a machine the provider does not own, and
 * with unfetched results only by the dead-man switch on a machine a shutdown merely stops.
 */
@Timeout(60)
class MaestroWatchSpec extends Specification {

    static final Path TEMPLATES = Path.of(System.getProperty('basedir', '.')).resolve('templates')
    static final String DIR = '.katapult-maestro/p'

    @TempDir
    Path home

    Path dir
    List<Process> holders = []

    def setup() {
        dir = home.resolve(DIR)
        Files.createDirectories(dir)
        for (name in ['maestro.sh', 'protocol.sh', 'lifecycle.sh']) {
            Files.copy(TEMPLATES.resolve(name), dir.resolve(name))
        }
    }

    def cleanup() {
        holders*.destroyForcibly()
        // the watcher is its own session (setsid): end whatever still runs from this home
        new ProcessBuilder('pkill', '-f', dir.toString()).start().waitFor(5, TimeUnit.SECONDS)
    }

    void lifecycle(String shutdown, int idleStop, int heartbeatTimeout) {
        Files.writeString(dir.resolve('lifecycle'), "shutdown $shutdown\nidle_stop $idleStop\n"
                + "heartbeat_timeout $heartbeatTimeout\nabandon_after 86400\n")
    }

    /** Runs {@code maestro.sh COMMAND DIR} as the laptop would, with this spec's home and a fast watcher. */
    String maestro(String command) {
        def builder = new ProcessBuilder('bash', dir.resolve('maestro.sh').toString(), command, DIR)
                .redirectErrorStream(true)
        builder.environment().putAll(HOME: home.toString(), KATAPULT_MAESTRO_WATCH_EVERY: '0.2',
                KATAPULT_SHUTDOWN_COMMAND: 'date +%s >>"$HOME/shutdown.requested"')
        def p = builder.start()
        def out = p.inputStream.text
        assert p.waitFor(20, TimeUnit.SECONDS): out
        out.trim()
    }

    /** The maestro's Katapult ended (its exit file) {@code secondsAgo} seconds ago. */
    void ended(long secondsAgo) {
        Path exit = dir.resolve('exit')
        Files.writeString(exit, '0\n')
        exit.toFile().setLastModified(System.currentTimeMillis() - secondsAgo * 1000)
    }

    boolean shutdownWithin(long millis) {
        long until = System.currentTimeMillis() + millis
        while (System.currentTimeMillis() < until) {
            if (Files.exists(home.resolve('shutdown.requested'))) {
                return true
            }
            sleep(100)
        }
        Files.exists(home.resolve('shutdown.requested'))
    }

    def "results not fetched: the maestro stays up; once fetched, it stops itself after idle_stop"() {
        given:
        lifecycle('stop', 1, 3600)
        ended(5)

        when:
        maestro('state')

        then:
        !shutdownWithin(2500)

        when:
        maestro('fetched')

        then:
        shutdownWithin(10_000)
        Files.readString(dir.resolve('watch.log')).contains('idle: shutting the maestro down')
    }

    def "never while its Katapult runs"() {
        given:
        lifecycle('stop', 1, 1)
        def holder = new ProcessBuilder('flock', dir.resolve('maestro.lock').toString(), 'sleep', '60').start()
        holders << holder
        sleep(300)

        when:
        maestro('fetched')

        then:
        !shutdownWithin(3000)
    }

    def "dead-man: silent laptop and results unfetched, on a machine a shutdown only stops"() {
        given:
        lifecycle('stop', 600, 1)
        ended(0)

        when:
        maestro('state')

        then:
        shutdownWithin(10_000)
        Files.readString(dir.resolve('watch.log')).contains('deadman')
    }

    def "a machine the provider does not own is never shut down, and no lifecycle file starts no watcher"() {
        given:
        lifecycle('none', 1, 1)
        ended(5)
        maestro('fetched')

        expect:
        !shutdownWithin(2500)
        !Files.exists(dir.resolve('watch.log'))

        when:
        Files.delete(dir.resolve('lifecycle'))
        new ProcessBuilder('pkill', '-f', dir.toString()).start().waitFor(5, TimeUnit.SECONDS)
        maestro('fetched')
        sleep(500)

        then:
        !shutdownWithin(1000)
        !Files.exists(dir.resolve('watch.log'))
    }
}
