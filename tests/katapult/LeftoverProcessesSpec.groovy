package katapult

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

@Timeout(30)
@Tag('e2e')
class LeftoverProcessesSpec extends Specification {

    @TempDir
    Path ws

    def "a detached process whose HOME is in the folder is found and killed; others are left alone"() {
        given: 'one process in its own session with HOME inside, one with HOME outside'
        def home = Files.createDirectories(ws.resolve('sandbox/box'))
        def inside = detached(home)
        def outside = detached(ws.getParent())

        expect:
        LeftoverProcesses.under(ws).containsKey(inside)
        !LeftoverProcesses.under(ws).containsKey(outside)

        when:
        LeftoverProcesses.kill(ws)

        then:
        LeftoverProcesses.under(ws).isEmpty()
        ProcessHandle.of(outside).map { it.isAlive() }.orElse(false)

        cleanup:
        ProcessHandle.of(outside).ifPresent { it.destroyForcibly() }
    }

    /** Starts `sleep` with this HOME, detached the way agents are, and returns its pid. */
    private static long detached(Path home) {
        def builder = new ProcessBuilder('setsid', 'sleep', '60').redirectErrorStream(true)
        builder.environment().put('HOME', home.toString())
        builder.start().pid()
    }
}
