package katapult.config

import java.nio.file.Path
import katapult.plan.Planner
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * What {@code check} refuses because {@code run} would refuse it or could not survive it: more runs or instances than
 * the limits allow (each named with the key that raises it), files of one job that would land on one name, output
 * names no file system should get, and a cpus_req no exploded local machine can hold.
 */
@Timeout(60)
class ConfigLimitsSpec extends Specification {

    @TempDir
    Path dir

    TempConfig t

    static final int CORES = Runtime.runtime.availableProcessors()

    def setup() {
        t = new TempConfig(dir)
        t.file('run.py', 'print(1)\n')
    }

    def "repeat 10000000 is refused at its line, naming the limit and the key that raises it"() {
        when:
        def problems = t.problems("config = [\n jobs: [[name: 'j', run_command: 'x',\n repeat: 10000000]]\n]")

        then:
        problems*.toString() == ["${dir.resolve('cfg.groovy')}:3: this job brings the project to 10,000,000 runs " +
                "('repeat' 10000000); a project may have at most 100,000 runs (raise 'max_runs' to allow more)"
                as String]
    }

    def "the runs of several jobs add up, and the job that goes over the limit is named (block form)"() {
        expect:
        t.messages("katapult {\n job 'a', { runCommand 'x'; repeat 60000 }\n job 'b', { runCommand 'y'; repeat 40001 }\n}")
                == "this job brings the project to 100,001 runs ('repeat' 40001); a project may have at most " +
                "100,000 runs (raise 'maxRuns' to allow more)"
        t.problems("katapult {\n job 'a', { runCommand 'x'; repeat 60000 }\n job 'b', { runCommand 'y'; repeat 40001 }\n}")
                *.line() == [3]
    }

    def "exactly 100,000 runs pass, and max_runs raises the limit"() {
        expect:
        t.load("config = [jobs: [[run_command: 'x', repeat: 100000]]]").jobs()[0].repeat() == 100000
        t.load("config = [max_runs: 10000000, jobs: [[run_command: 'x', repeat: 10000000]]]").jobs()[0].repeat() == 10000000
    }

    def "aws number 1000000 is refused at its line"() {
        when:
        def problems = t.problems("config = [provider: 'aws',\n instances: [[type: 't3.large',\n number: 1000000]]]")

        then:
        problems*.line() == [3]
        problems[0].message() == "instance 'aws-1' makes the project 1,000,000 instances ('number' 1000000); " +
                "a project may have at most 500 instances (raise 'max_instances' to allow more)"
    }

    def "500 instances pass, and max_instances raises the limit"() {
        expect:
        t.load("config = [provider: 'aws', instances: [[type: 't', number: 300], [type: 't', number: 200]]]")
                .instances().size() == 2
        t.messages("config = [provider: 'aws', instances: [[type: 't', number: 300], [type: 't', number: 201]]]")
                .contains("instance 'aws-2' makes the project 501 instances")
        t.load("config = [provider: 'aws', max_instances: 2000, instances: [[type: 't', number: 2000]]]")
                .instances()[0].number() == 2000
    }

    def "a local cpus of 2000000000 would explode into more machines than the limit: refused at the cpus line"() {
        when:
        def problems = t.problems("config = [instances: [[\n cpus: 2000000000]]]")

        then:
        problems*.line() == [2]
        problems[0].message().startsWith("instance 'local-1' makes the project ${String.format('%,d', (2000000000L + CORES - 1).intdiv(CORES))} instances ('cpus' 2000000000 split by 'explode' over machines of $CORES cpus)")
        problems[0].message().endsWith("(raise 'max_instances' to allow more)")
    }

    def "without explode a large local cpus is one instance"() {
        expect:
        t.load("config = [instances: [[cpus: 2000000000, explode: false]]]").instances()[0].cpus() == 2000000000
    }

    def "the planner refuses an aws entry that explodes past the limit instead of making every instance"() {
        given:
        Config c = t.load("config = [provider: 'aws', instances: [[name: 'big', type: 't3.large', cpus: 1002]]]")

        when:
        Planner.plan(c, { 2 }, { 2 })

        then:
        ConfigException e = thrown()
        e.problems()*.message() == ["instance 'big' makes the project 501 instances ('cpus' 1002 split by 'explode' " +
                "over machines of 2 cpus); a project may have at most 500 instances (raise 'max_instances' to allow more)"]
    }

    def "a local cpus_req that fits the entry's cpus but not the machines explode makes of it is refused at its line"() {
        when:
        def problems = t.problems("config = [instances: [[cpus: ${2 * CORES}]],\n jobs: [[name: 'j', run_command: 'x',\n cpus_req: ${2 * CORES}]]]")

        then:
        problems*.line() == [3]
        problems[0].message() == "job 'j' asks for ${2 * CORES} cpus ('cpus_req') but the largest instance, 'local-1', " +
                "has $CORES ('cpus' ${2 * CORES} split by 'explode' over machines of this one's $CORES cores): it could never start"
    }

    def "with explode false the same local entry holds the job"() {
        expect:
        t.load("config = [instances: [[cpus: ${2 * CORES}, explode: false]], jobs: [[run_command: 'x', cpus_req: ${2 * CORES}]]]")
                .jobs()[0].cpusReq() == 2 * CORES
    }

    def "two files of one job with the same base name are refused at the second: #what"() {
        given:
        t.file('a/x.dat')
        t.file('b/x.dat')
        t.file('other/run.py')

        when:
        def problems = t.problems("config = [jobs: [[name: 'j', run_script: 'run.py',\n $entries\n]]]")

        then:
        problems*.line() == [2]
        problems[0].message() == message.replace('FIRST', dir.resolve(first).toString())

        where:
        what               | entries                                           | first     || message
        'two inputs'       | "input_files: ['a/x.dat', 'b/x.dat']"             | 'a/x.dat' || "'input_files': 'b/x.dat' would land in the run's folder as 'x.dat', like FIRST; give the files of one job different names"
        'upload and input' | "upload_files: 'a/x.dat', input_files: 'b/x.dat'" | 'a/x.dat' || "'input_files': 'b/x.dat' would land in the run's folder as 'x.dat', like FIRST; give the files of one job different names"
        'script and upload'| "upload_files: 'other/run.py'"                    | 'run.py'  || "'upload_files': 'other/run.py' would land in the run's folder as 'run.py', like FIRST; give the files of one job different names"
    }

    def "output names with a control character are refused on one line: #name"() {
        when:
        def problems = t.problems("config = [jobs: [[name: 'j', run_command: 'x',\n output_files: [$name]]]]")

        then:
        problems*.line() == [2]
        problems[0].message() == "'output_files': '$shown' holds a control character (a new line, a tab...); " +
                "an output is a plain file name relative to the job's working folder"
        !problems[0].toString().contains('\n')

        where:
        name                 || shown
        "'out\\n.txt'"       || 'out\\n.txt'
        "'out.txt\\n'"       || 'out.txt\\n'
        "'a\\tb'"            || 'a\\tb'
        "'x\\u0001'"         || 'x\\u0001'
    }

    def "outputs with '..' or an absolute path are still refused"() {
        expect:
        t.messages("config = [jobs: [[run_command: 'x', output_files: ['../o', '/tmp/o']]]]").readLines() == [
                "'output_files': '../o' must stay inside the job's working folder (no '..')",
                "'output_files': '/tmp/o' must be relative to the job's working folder, not absolute"]
    }

    def "a job that would get one name both from its own files and from a job it waits for is refused at its after"() {
        given:
        t.file('out.dat')

        when:
        def problems = t.problems("""config = [jobs: [
            [name: 'up', run_command: 'x', output_files: 'out.dat'],
            [name: 'down', run_command: 'y', input_files: 'out.dat',
             after: 'up']]]""")

        then:
        problems*.line() == [4]
        problems[0].message() == "job 'down' gets 'out.dat' both from its own files and from 'up', which it waits for " +
                "('after'); rename one of them"
    }

    def "a job waiting for jobs whose outputs have the same names is refused at its after"() {
        when:
        def problems = t.problems("""config = [jobs: [
            [name: 'a', run_command: 'x', output_files: 'out.dat'],
            [name: 'b', run_command: 'y', output_files: 'out.dat'],
            [name: 'c', run_command: 'z',
             after: ['a', 'b']]]]""")

        then:
        problems*.line() == [5]
        problems[0].message() == "job 'c' waits for jobs whose outputs have the same names ('out.dat' from 'a' and 'b'): " +
                "rename the outputs, or give those jobs more than one 'repeat'"
    }

    def "outputs of a job with several repeats land under its name and collide with nothing"() {
        expect:
        t.load("""config = [jobs: [
            [name: 'a', run_command: 'x', output_files: 'out.dat', repeat: 2],
            [name: 'b', run_command: 'y', output_files: 'out.dat'],
            [name: 'c', run_command: 'z', after: ['a', 'b']]]]""").jobs().size() == 3
    }
}
