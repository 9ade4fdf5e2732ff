package katapult.dsl

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import katapult.config.ConfigException
import katapult.config.Problem
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * A config file is code: it may not exit the JVM, and one that loops or allocates without end is stopped with one
 * line at the line it was running.
 */
@Timeout(60)
class ConfigCodeSpec extends Specification {

    @TempDir
    Path dir

    List<Problem> problems(String text, Duration limit = Duration.ofSeconds(30)) {
        Path file = dir.resolve('cfg.groovy')
        Files.writeString(file, text)
        try {
            ConfigLoader.load(file, limit)
        } catch (ConfigException e) {
            return e.problems()
        }
        throw new AssertionError("the config loaded:\n$text")
    }

    def "exiting the JVM is refused at its line, before anything runs: #call"() {
        when:
        def found = problems("katapult {\n job { runCommand 'x' }\n}\nif (false) {\n $call\n}")

        then:
        found*.line() == [5]
        found[0].message() == "a config may not end the JVM ($what): it is refused before it runs"

        where:
        call                                      || what
        'System.exit(0)'                          || 'System.exit'
        'java.lang.System.exit 1'                 || 'System.exit'
        'Runtime.getRuntime().exit(0)'            || 'Runtime.exit'
        'Runtime.runtime.halt(3)'                 || 'Runtime.halt'
        'def f = System.&exit'                    || 'System.exit'
        'def g = { -> System.exit(2) }'           || 'System.exit'
    }

    def "a static import of System.exit is refused too"() {
        when:
        def found = problems("import static java.lang.System.exit\nkatapult { job { runCommand 'x' } }\nif (false) {\n exit(0)\n}")

        then:
        found*.line() == [4]
        found[0].message().startsWith('a config may not end the JVM (System.exit)')
    }

    def "System.getenv and System.getProperty stay allowed"() {
        given:
        Path file = dir.resolve('cfg.groovy')
        Files.writeString(file, "katapult { job { runCommand \"echo \${System.getenv('HOME')} \${System.getProperty('user.name')}\" } }")

        expect:
        ConfigLoader.load(file, Duration.ofSeconds(30)).jobs().size() == 1
    }

    def "a config that runs longer than the limit is stopped at the line it was running"() {
        when:
        long start = System.nanoTime()
        def found = problems("katapult {\n job { runCommand 'x' }\n}\nwhile (true) {\n}\n", Duration.ofSeconds(1))
        long took = (System.nanoTime() - start).intdiv(1_000_000)

        then:
        found*.line() == [4]
        found[0].message() == "the config script ran longer than 1s and was stopped; it may run at most 1s " +
                "(raise the limit with KATAPULT_CONFIG_TIMEOUT, e.g. KATAPULT_CONFIG_TIMEOUT=2m)"
        took < 10_000
    }

    def "a config that sleeps past the limit is stopped too"() {
        expect:
        problems("Thread.sleep(60_000)\nkatapult { }", Duration.ofMillis(500))*.line() == [1]
    }

    def "a config that exhausts memory is one problem at its line"() {
        when:
        def found = problems("katapult {\n job { runCommand 'x' }\n}\ndef big = new long[Integer.MAX_VALUE - 2]\n")

        then:
        found*.line() == [4]
        found[0].message().startsWith('the config script ran out of memory')
    }

    def "the time limit comes from KATAPULT_CONFIG_TIMEOUT, 30s when it is not set"() {
        expect:
        ConfigLoader.timeLimit([:]) == Duration.ofSeconds(30)
        ConfigLoader.timeLimit([KATAPULT_CONFIG_TIMEOUT: '2m']) == Duration.ofMinutes(2)
        ConfigLoader.timeLimit([KATAPULT_CONFIG_TIMEOUT: '45']) == Duration.ofSeconds(45)
    }

    def "a KATAPULT_CONFIG_TIMEOUT that is no duration is one clear problem"() {
        when:
        ConfigLoader.timeLimit([KATAPULT_CONFIG_TIMEOUT: 'soon'])

        then:
        ConfigException e = thrown()
        e.problems()*.message() == ["KATAPULT_CONFIG_TIMEOUT must be a duration such as '30s' or '2m', got 'soon'"]
    }
}
