package katapult.plan

import java.nio.file.Files
import java.nio.file.Path

import katapult.config.ConfigException
import katapult.config.JobSpec
import spock.lang.Specification
import spock.lang.TempDir

class JobPlannerSpec extends Specification {

    @TempDir
    Path dir

    JobSpec job(Map args = [:]) {
        new JobSpec(args.name ?: 'j', null, args.cpus ?: 1, args.script, args.command, args.uploads ?: [],
                args.inputs ?: [], args.outputs ?: [], 1, [])
    }

    Path file(String name, String content = name) {
        def path = dir.resolve(name)
        Files.createDirectories(path.parent)
        Files.writeString(path, content)
    }

    def "a #suffix script runs with #runner"() {
        given:
        def script = file("s$suffix")
        def plan = JobPlanner.plan(job(script: new JobSpec.ScriptCall(script, ['a b', '$x'])), null, [], 'c.groovy')

        expect:
        plan.command().contains(runner)
        plan.command().contains("'a b' '\$x'")
        plan.workFiles() == [("s$suffix".toString()): script]

        where:
        suffix | runner
        '.py'  | 'exec "${KATAPULT_PYTHON:-python3}" \'s.py\''
        '.jl'  | "exec julia 's.jl'"
        '.sh'  | "exec './s.sh'"
    }

    def "a command runs as written"() {
        expect:
        JobPlanner.plan(job(command: 'echo $HOME | wc'), null, [], 'c.groovy').command() == 'echo $HOME | wc\n'
    }

    def "the identity changes with #what and only then"() {
        given:
        def a = file('a.txt', 'one')
        def base = JobPlanner.plan(job(command: 'x', uploads: [a], outputs: ['o']), null, [], 'c.groovy').hash()

        when:
        change.call(this, a)
        def other = JobPlanner.plan(job(changed.call(this, a)), null, [], 'c.groovy').hash()

        then:
        (other != base) == differs

        where:
        what                 | change                                | changed                                                   | differs
        'nothing'            | { t, f -> }                           | { t, f -> [command: 'x', uploads: [f], outputs: ['o']] } | false
        'a file\'s content'  | { t, f -> Files.writeString(f, '2') } | { t, f -> [command: 'x', uploads: [f], outputs: ['o']] } | true
        'the command'        | { t, f -> }                           | { t, f -> [command: 'y', uploads: [f], outputs: ['o']] } | true
        'the outputs'        | { t, f -> }                           | { t, f -> [command: 'x', uploads: [f], outputs: ['p']] } | true
        'the cpus'           | { t, f -> }                           | { t, f -> [command: 'x', uploads: [f], outputs: ['o'], cpus: 2] } | true
    }

    def "two different files with one name in a job's folder are an error"() {
        when:
        JobPlanner.plan(job(command: 'x', uploads: [file('a/data.txt')], inputs: [file('b/data.txt')]), null, [], 'c.groovy')

        then:
        def e = thrown(ConfigException)
        e.message.contains("two files named 'data.txt'")
    }
}
