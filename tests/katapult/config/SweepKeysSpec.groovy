package katapult.config

import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir

/** The job keys sweep / sweep_params and metrics_file: binding, order, and the errors check gives. */
class SweepKeysSpec extends Specification {

    @TempDir
    Path dir

    TempConfig cfg() {
        new TempConfig(dir)
    }

    def "both forms give the same grid, in the order written, values as text"() {
        when:
        def block = cfg().load("""katapult {
            job { runCommand 'train --lr \${lr} --depth \${depth}'; sweep lr: [0.1, 0.01], depth: [4, 8], seed: 1..3 }
        }""")
        def map = cfg().load("config = [jobs: [[run_command: 'train --lr \${lr} --depth \${depth}', " +
                "sweep_params: [lr: [0.1, 0.01], depth: [4, 8], seed: 1..3]]]]")

        then:
        [block, map].every { c ->
            def sweep = c.jobs()[0].sweep()
            sweep.names() == ['lr', 'depth', 'seed'] &&
                    sweep.params()*.values() == [['0.1', '0.01'], ['4', '8'], ['1', '2', '3']] &&
                    sweep.points() == 12 && c.jobs()[0].runCount() == 12
        }
    }

    def "points: the first parameter changes slowest"() {
        given:
        def sweep = new Sweep([new Sweep.Param('a', ['1', '2']), new Sweep.Param('b', ['x', 'y', 'z'])])

        expect:
        (0..<6).collect { sweep.point(it).values().join('') } == ['1x', '1y', '1z', '2x', '2y', '2z']
        sweep.point(4) == [a: '2', b: 'y']
    }

    def "repeat multiplies the runs; a job without a grid has repeat runs"() {
        when:
        def c = cfg().load("config = [jobs: [[run_command: 'a \${x}', sweep_params: [x: [1, 2, 3]], repeat: 2], " +
                "[run_command: 'b', repeat: 4]]]")

        then:
        c.jobs()*.runCount() == [6, 4]
        c.jobs()[1].sweep().isEmpty()
    }

    def "a placeholder naming no parameter is refused at the command's line"() {
        when:
        def problems = cfg().problems("config = [jobs: [[\n  sweep_params: [lr: [1, 2]],\n" +
                "  run_command: 'train --lr \${lrr}']]]")

        then:
        problems.size() == 1
        problems[0].line() == 3
        problems[0].message().contains("'run_command': placeholder \${lrr} names no parameter")
        problems[0].message().contains("did you mean 'lr'")
    }

    def "a placeholder in run_script is checked too"() {
        given:
        cfg().file('train.py')

        when:
        def msg = cfg().messages("katapult {\n job {\n  runScript 'train.py --seed \${seed}'\n  sweep lr: [1] \n }\n}")

        then:
        msg.contains("'runScript': placeholder \${seed} names no parameter of 'sweep' (parameters: lr)")
    }

    def "a job without a grid keeps \${...} as bash reads it"() {
        expect:
        cfg().load("config = [jobs: [[run_command: 'echo \${HOME}']]]").jobs()[0].runCommand() == 'echo ${HOME}'
    }

    def "#why is refused, naming the key and its line"() {
        when:
        def problems = cfg().problems("config = [jobs: [[run_command: 'x',\n sweep_params: $grid]]]")

        then:
        problems.size() == 1
        problems[0].line() == 2
        problems[0].message().startsWith("'sweep_params'")
        problems[0].message().contains(words)

        where:
        why                  | grid                        | words
        'an empty list'      | '[lr: []]'                  | "parameter 'lr' has no values"
        'a list value'       | '[lr: [[1, 2]]]'            | "takes numbers, strings or booleans"
        'a map value'        | '[lr: [[a: 1]]]'            | "takes numbers, strings or booleans"
        'a null value'       | '[lr: [null]]'              | "takes numbers, strings or booleans"
        'a bad name'         | "['learning-rate': [1]]"    | "'learning-rate' is not an identifier"
        'a leading digit'    | "['2lr': [1]]"              | "'2lr' is not an identifier"
        'a repeated value'   | '[lr: [1, 1]]'              | "lists 1 twice"
        'names only in case' | '[lr: [1], LR: [2]]'        | "differ only in case"
        'not a map'          | '[1, 2]'                    | "must map parameter names to lists of values"
        'an empty map'       | '[:]'                       | "must map parameter names to lists of values"
    }

    def "a single value is a one-value parameter"() {
        expect:
        cfg().load("config = [jobs: [[run_command: 'x', sweep_params: [mode: 'fast']]]]").jobs()[0].sweep()
                .params()[0].values() == ['fast']
    }

    def "a grid past max_runs is refused, saying the grid counts"() {
        when:
        def msg = cfg().messages("config = [max_runs: 10, jobs: [[run_command: 'x', sweep_params: [a: 1..4, b: 1..3]]]]")

        then:
        msg.contains('brings the project to 12 runs')
        msg.contains("12 points in 'sweep_params'")
    }

    def "a grid of more combinations than a whole number holds is refused by max_runs, not by a crash"() {
        given:
        def params = (1..6).collect { "p$it: 1..100" }.join(', ')

        when:
        def msg = cfg().messages("config = [jobs: [[run_command: 'x', repeat: 3, after: 'y', sweep_params: [$params]], " +
                "[name: 'y', run_command: 'y', output_files: 'o', sweep_params: [$params]]]]")

        then:
        msg.contains("a project may have at most")
        msg.contains("'max_runs'")
    }

    def "metrics_file is an output of the job"() {
        when:
        def job = cfg().load("katapult { job { runCommand 'x'; outputFiles 'a.txt'; metricsFile './m.json' } }")
                .jobs()[0]

        then:
        job.metricsFile() == 'm.json'
        job.outputFiles() == ['a.txt', 'm.json']
    }

    def "a metrics_file outside the work folder is refused"() {
        expect:
        cfg().messages("config = [jobs: [[run_command: 'x', metrics_file: '../m.json']]]")
                .contains("'metrics_file': '../m.json' must stay inside the job's working folder")
    }
}
