package katapult.cli

import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification
import spock.lang.Tag
import spock.lang.Timeout

/** What a fresh CLI process loads before it answers: `--help` and `status --help` start no Groovy, AWS or sshj. */
@Timeout(120)
@Tag('e2e')
class LazyStartSpec extends Specification {

    /** The classes a new JVM loads running Main with {@code args}, by name. */
    List<String> loadedBy(String... args) {
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def builder = new ProcessBuilder([java, '-Xlog:class+load=info', '-cp', System.getProperty('java.class.path'),
                                          Main.name, *args]).redirectErrorStream(true)
        def process = builder.start()
        def lines = process.inputStream.readLines()
        assert process.waitFor(60, TimeUnit.SECONDS)
        assert process.exitValue() == 0
        lines.findAll { it.contains('][class,load] ') }.collect { it.split('\\]\\[class,load\\] ')[1].split(' ')[0] }
    }

    def "the help of Katapult and of a command loads no Groovy, AWS SDK or sshj class"() {
        when:
        def classes = loadedBy(*args)

        then:
        classes.contains(Main.name)
        classes.findAll { it.startsWith('groovy.') || it.startsWith('org.codehaus.groovy.')
                || it.startsWith('software.amazon.') || it.startsWith('net.schmizz.') } == []

        where:
        args << [['--help'], ['status', '--help'], ['--version']]
    }
}
