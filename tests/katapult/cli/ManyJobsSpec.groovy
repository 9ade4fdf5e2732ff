package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import katapult.dsl.ConfigLoader
import katapult.state.StateStore
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Sweeps of generated jobs with distinct commands, built the seeds' way: every default name is unique (issue 15;
 * with 6 hex digits only, 20,000 such jobs were refused with 11 false "same command" problems).
 */
@Tag('e2e')
class ManyJobsSpec extends Specification {

    @TempDir
    Path ws

    Path sweep(int jobs) {
        Files.writeString(ws.resolve('sweep.groovy'), """config = [
            project: 'sweep',
            instances: [[cpus: 4, number: 2]],
            jobs: (1..$jobs).collect { i -> [run_command: "echo \$i > o.txt", output_files: 'o.txt'] },
        ]""")
    }

    CliSpec.Outcome timed(String command, Path config) {
        long start = System.nanoTime()
        def outcome = CliSpec.katapult(command, '-C', ws.toString(), config.toString())
        println "$command of ${config.fileName}: ${(System.nanoTime() - start).intdiv(1_000_000)} ms"
        outcome
    }

    @Timeout(300)
    def "100,000 jobs: check accepts them, each with its own name, the same in a second load"() {
        given:
        def config = sweep(100_000)

        when:
        def check = timed('check', config)
        def names = ConfigLoader.load(config).jobs()*.name()

        then:
        check.code() == 0
        check.out().contains('100000 job(s), 100000 run(s)')
        names.toSet().size() == 100_000
        names.count { it.length() > 'echo-'.length() + 6 } > 0
        names == ConfigLoader.load(config).jobs()*.name()
    }

    @Timeout(300)
    def "100,000 jobs: init places them, each under its own name"() {
        given:
        def config = sweep(100_000)

        when:
        def init = timed('init', config)

        then:
        init.code() == 0
        init.out().contains('100000 job(s), 100000 run(s) planned')
        def runs = StateStore.peek(ws.resolve('.katapult/sweep')).orElseThrow().runs()
        runs.size() == 100_000
        runs*.job().toSet().size() == 100_000
        runs.every { it.instance() != null }
    }
}
