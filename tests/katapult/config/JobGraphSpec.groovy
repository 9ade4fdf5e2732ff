package katapult.config

import java.nio.file.Path
import spock.lang.Specification
import spock.lang.TempDir

/** The after graph is checked by the binder and handed, ordered, to the planner. */
class JobGraphSpec extends Specification {

    @TempDir
    Path dir

    static JobSpec job(String name, List<String> after) {
        new JobSpec(name, null, 1, null, 'echo', [], [], [], 1, after)
    }

    def "each job comes after the jobs it waits for, otherwise in file order"() {
        given:
        def jobs = [job('c', ['b']), job('a', []), job('b', ['a']), job('d', [])]

        expect:
        JobGraph.of(jobs).upstreamFirst() == ['a', 'b', 'c', 'd']
        JobGraph.of(jobs).order(jobs)*.name() == ['a', 'b', 'c', 'd']
    }

    def "a bound config carries its checked graph"() {
        given:
        def t = new TempConfig(dir)

        when:
        Config c = t.load("config = [jobs: [[name: 'late', run_command: 'x', after: 'early'], [name: 'early', run_command: 'y']]]")

        then:
        c.jobGraph().upstreamFirst() == ['early', 'late']
    }

    def "a circle is refused by the binder at the line of the first job's after"() {
        given:
        def t = new TempConfig(dir)

        expect:
        t.problems("config = [jobs: [\n[name: 'a', run_command: 'x', after: 'b'],\n[name: 'b', run_command: 'y', after: 'a']]]")
                .any { it.line() == 2 && it.message().contains("in a circle ('after'): a → b → a") }
    }
}
