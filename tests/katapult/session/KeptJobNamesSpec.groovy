package katapult.session

import java.nio.file.Files
import java.nio.file.Path

import katapult.LeftoverProcesses
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * A default job name, once a project gave it, stays that job's. The SHA-256 of 'echo 6037 > o.txt' and of
 * 'echo 7914 > o.txt' share their first 6 hex digits (00f5f3).
 */
@Timeout(120)
class KeptJobNamesSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Path config(List<Integer> numbers) {
        Files.writeString(ws.resolve('names.groovy'), """config = [
            project: 'names',
            instances: [[cpus: 1]],
            jobs: [${numbers.collect { "[run_command: 'echo $it > o.txt']" }.join(', ')}],
        ]""")
    }

    Map<String, String> placedRuns(List<Integer> numbers) {
        def session = Session.open(ws, config(numbers), { })
        try {
            session.assign()
            session.plan().runs().collectEntries { [(it.job().name()): it.uid()] }
        } finally {
            session.close()
        }
    }

    def "a job added to a project keeps the names it gave; the one that collides with them gets the longer name"() {
        given:
        def before = placedRuns([6037])

        when: 'a job whose 6 hex digits are the same is added, before the old one'
        def after = placedRuns([7914, 6037])

        then:
        before == ['echo-00f5f3': before['echo-00f5f3']]
        after.keySet().toList() == ['echo-00f5f3e', 'echo-00f5f3']
        after['echo-00f5f3'] == before['echo-00f5f3']
    }

    def "a resumed project finds the names it gave"() {
        given:
        placedRuns([6037])
        placedRuns([7914, 6037])

        when:
        def session = Session.resume(ws, 'names', { })
        def names = session.plan().jobs().keySet().toList()
        session.close()

        then:
        names == ['echo-00f5f3e', 'echo-00f5f3']
    }

    def "a job added with add meets the names of the project"() {
        given:
        placedRuns([6037])
        def added = Files.writeString(ws.resolve('more.groovy'), "config = [jobs: [[run_command: 'echo 7914 > o.txt']]]")

        when:
        def session = Session.open(ws, ws.resolve('names.groovy'), { })
        session.add(added)
        def names = session.plan().jobs().keySet().toList()
        session.close()

        then:
        names == ['echo-00f5f3', 'echo-00f5f3e']
    }
}
