package katapult

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * What a user does first, exactly: the ./jbang wrapper (fetching JBang through Maven when it is not installed)
 * compiles katapult.java with its //DEPS, //SOURCES and //FILES and runs the example to the end.
 */
@Timeout(600)
@Requires({ ['mvn', 'java'].every { tool -> System.getenv('PATH').split(':').any { new File(it, tool).canExecute() } } })
@Tag('e2e')
class JBangSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    def "./jbang katapult.java run examples/hello.groovy exits 0 with every run DONE and every output fetched"() {
        when:
        def log = ws.resolve('jbang.log')
        def process = new ProcessBuilder('./jbang', 'katapult.java', 'run', 'examples/hello.groovy', '-C', ws.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start()
        def finished = process.waitFor(500, TimeUnit.SECONDS)
        def output = Files.readString(log)

        then:
        finished
        process.exitValue() == 0
        output.contains('4 DONE (4 runs)')
        (1..3).every { Files.exists(ws.resolve("results/hello/squares/$it/squares.csv")) }
        Files.readString(ws.resolve('results/hello/count/1/count.txt')).trim() == '12'

        cleanup:
        process?.destroyForcibly()
    }
}
