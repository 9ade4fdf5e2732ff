package katapult.cli

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit
import katapult.KatapultJvm
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * {@code check} in a JVM of its own, on configs that would end it, fill its memory or never finish: each gives one
 * line naming file:line and exit 2, and {@code check} agrees with {@code run} on the limits.
 */
@Timeout(120)
@Tag('e2e')
class CheckConfigCodeSpec extends Specification {

    @TempDir
    Path ws

    record Outcome(int code, List<String> lines) { }

    Outcome check(String text, List<String> jvm = [], Map<String, String> env = [:], String command = 'check') {
        Path file = ws.resolve('cfg.groovy')
        Files.writeString(file, text)
        Process p = KatapultJvm.start(ws, [command, file.toString()], jvm, env)
        assert p.waitFor(60, TimeUnit.SECONDS): "katapult $command did not end"
        Path log = Files.list(ws).filter { it.fileName.toString().startsWith('katapult-') }.findFirst().orElseThrow()
        List<String> lines = Files.readAllLines(log).findAll { !it.startsWith('OpenJDK') && !it.startsWith('WARNING') }
        Files.delete(log)
        new Outcome(p.exitValue(), lines)
    }

    def "a config calling System.exit is refused at its line, exit 2"() {
        when:
        def out = check("katapult {\n job { runCommand 'x' }\n}\nSystem.exit(0)\n")

        then:
        out.code() == 2
        out.lines() == ["${ws.resolve('cfg.groovy')}:4: a config may not end the JVM (System.exit): it is refused before it runs" as String,
                        "1 problem in ${ws.resolve('cfg.groovy')}; nothing was started." as String]
    }

    def "a config allocating without end gives one line and exit 2, no stack trace"() {
        when:
        def out = check("katapult {\n job { runCommand 'x' }\n}\ndef all = []\nwhile (true) {\n all << new byte[1 << 20]\n}\n",
                ['-Xmx96m'])

        then:
        out.code() == 2
        out.lines().size() == 2
        out.lines()[0].startsWith("${ws.resolve('cfg.groovy')}:6: the config script ran out of memory")
        !out.lines().any { it.contains('\tat ') || it.contains('OutOfMemoryError') }
    }

    def "a config that never ends is stopped after KATAPULT_CONFIG_TIMEOUT, exit 2"() {
        when:
        long start = System.nanoTime()
        def out = check("katapult {\n job { runCommand 'x' }\n}\nwhile (true) {}\n", [], [KATAPULT_CONFIG_TIMEOUT: '2s'])

        then:
        out.code() == 2
        out.lines()[0] == "${ws.resolve('cfg.groovy')}:4: the config script ran longer than 2s and was stopped; it may run at most 2s (raise the limit with KATAPULT_CONFIG_TIMEOUT, e.g. KATAPULT_CONFIG_TIMEOUT=2m)" as String
        (System.nanoTime() - start) < TimeUnit.SECONDS.toNanos(30)
    }

    def "check and init agree: a config over the runs limit is refused by both at its line"() {
        given:
        String text = "config = [\n jobs: [[name: 'j', run_command: 'x',\n repeat: 10000000]]\n]\n"

        expect:
        [check(text), check(text, [], [:], 'init')].every {
            it.code() == 2 && it.lines()[0].startsWith("${ws.resolve('cfg.groovy')}:3: this job brings the project to 10,000,000 runs")
        }
    }
}
