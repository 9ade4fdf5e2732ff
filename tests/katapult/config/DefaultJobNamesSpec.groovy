package katapult.config

import java.nio.file.Path
import katapult.dsl.ConfigLoader
import spock.lang.Specification
import spock.lang.TempDir

/**
 * Default job names (<word>-<hash prefix>) are unique at any scale: where 6 hex digits collide, the colliding names
 * get the shortest unique prefix of their hash, as git abbreviates. The commands below were picked because the
 * SHA-256 of 'echo 6037 > o.txt' and of 'echo 7914 > o.txt' share their first 6 hex digits (00f5f3).
 */
class DefaultJobNamesSpec extends Specification {

    @TempDir
    Path dir

    TempConfig t

    def setup() {
        t = new TempConfig(dir)
    }

    static String jobs(List<Integer> numbers, String extra = '') {
        "config = [jobs: [${numbers.collect { "[run_command: 'echo $it > o.txt']" }.join(', ')} $extra]]"
    }

    def "two commands whose hashes share 6 hex digits get the shortest unique prefix; the others keep 6"() {
        expect:
        t.load(jobs([6037, 1, 7914])).jobs()*.name() == ['echo-00f5f3f', 'echo-' + ConfigBinder.sha6('echo 1 > o.txt'),
                                                         'echo-00f5f3e']
    }

    def "names do not depend on the order of the jobs"() {
        expect:
        t.load(jobs([7914, 6037])).jobs()*.name() == ['echo-00f5f3e', 'echo-00f5f3f']
    }

    def "a default name never takes the name a job was given"() {
        expect:
        t.load(jobs([6037], ", [name: 'echo-00f5f3', run_command: 'true']")).jobs()*.name() ==
                ['echo-00f5f3f', 'echo-00f5f3']
    }

    def "two jobs with the same command are still told apart from two different commands"() {
        when:
        def problems = t.problems(jobs([6037, 7914, 6037]))

        then: 'only the real duplicate is reported, as the same command'
        problems*.message() == ["this job runs the same command ('echo 6037 > o.txt') as the job at line 1, so both "
                + "would be named 'echo-00f5f3f'; to run a job several times use 'repeat', otherwise give each a 'name'"]
    }

    def "a name a project already gave is kept: a new job that collides with it gets the longer name"() {
        given:
        def kept = new KeptNames(['echo-00f5f3': ConfigBinder.nameKey('echo 6037 > o.txt')])

        expect: 'even when the new job comes first in the config'
        ConfigLoader.load(t.file('cfg.groovy', jobs([7914, 6037])), kept).jobs()*.name() ==
                ['echo-00f5f3e', 'echo-00f5f3']
    }

    def "a name the project gave to a job no longer in the config is not given to another one"() {
        given:
        def kept = new KeptNames(['echo-00f5f3': ConfigBinder.nameKey('echo 6037 > o.txt')])

        expect:
        ConfigLoader.load(t.file('cfg.groovy', jobs([7914])), kept).jobs()*.name() == ['echo-00f5f3e']
    }

    def "20,000 generated jobs with distinct commands load, each with its own name (the issue's sweep)"() {
        given:
        def text = "config = [jobs: (1..20000).collect { i -> [run_command: \"echo \$i > o.txt\"] }]"

        when:
        def names = t.load(text).jobs()*.name()

        then:
        names.toSet().size() == 20000
        names.count { it.length() > 'echo-'.length() + 6 } == 22
    }
}
