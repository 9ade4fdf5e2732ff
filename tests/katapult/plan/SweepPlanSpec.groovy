package katapult.plan

import java.nio.file.Path

import katapult.config.Config
import katapult.config.TempConfig
import spock.lang.Specification
import spock.lang.TempDir

/** A swept job's runs: their order, uids, commands and variables. */
class SweepPlanSpec extends Specification {

    @TempDir
    Path dir

    Plan plan(String text) {
        Config config = new TempConfig(dir).load(text)
        Planner.plan(config, { 4 }, { 4 })
    }

    def "one run per combination times repeat, the runs of one point consecutive"() {
        when:
        def p = plan("config = [jobs: [[name: 't', run_command: 'x \${a} \${b}', repeat: 2, " +
                "sweep_params: [a: [1, 2], b: ['u', 'v']]]]]")

        then:
        p.runs().size() == 8
        p.runs()*.repeat() == (1..8)
        p.runs()*.params() == [[a: '1', b: 'u'], [a: '1', b: 'u'], [a: '1', b: 'v'], [a: '1', b: 'v'],
                               [a: '2', b: 'u'], [a: '2', b: 'u'], [a: '2', b: 'v'], [a: '2', b: 'v']]
        p.runs()*.uid().toSet().size() == 8
        p.runs().every { it.uid().endsWith("-${it.repeat()}") }
    }

    def "a run's command gets its values quoted and its variables"() {
        when:
        def run = plan("config = [jobs: [[name: 't', run_command: 'echo \${msg} > out.txt', " +
                "sweep_params: [msg: ['it\\'s \$HOME', 'b'], n: [3]]]]]").runs()[0]

        then:
        run.command() == "export KATAPULT_RUN_INDEX=1 KATAPULT_RUN_COUNT=2 KATAPULT_PARAM_MSG='it'\\''s \$HOME'" +
                " KATAPULT_PARAM_N='3'\necho 'it'\\''s \$HOME' > out.txt\n"
    }

    def "a script's arguments get the values as whole words"() {
        given:
        new TempConfig(dir).file('train.py')

        when:
        def runs = plan("config = [jobs: [[name: 't', run_script: 'train.py --lr=\${lr} \${name}', " +
                "sweep_params: [lr: [0.5], name: ['two words']]]]]").runs()

        then:
        runs[0].command().endsWith("exec \"\${KATAPULT_PYTHON:-python3}\" 'train.py' '--lr=0.5' 'two words'\n")
    }

    def "a job without a grid gets its index and count, and keeps its uids"() {
        when:
        def p = plan("config = [jobs: [[name: 't', run_command: 'echo \${HOME}', repeat: 2]]]")
        def job = p.jobs()['t']

        then:
        p.runs()*.uid() == [job.hash().substring(0, 12) + '-1', job.hash().substring(0, 12) + '-2']
        p.runs()[1].command() == 'export KATAPULT_RUN_INDEX=2 KATAPULT_RUN_COUNT=2\necho ${HOME}\n'
        p.runs()[0].params() == [:]
    }

    def "changing the grid keeps a run's uid only where its parameters and place are the same"() {
        given:
        def before = plan("config = [jobs: [[name: 't', run_command: 'x \${a}', sweep_params: [a: [1, 2]]]]]").runs()
        def grown = plan("config = [jobs: [[name: 't', run_command: 'x \${a}', sweep_params: [a: [1, 2, 3]]]]]").runs()
        def changed = plan("config = [jobs: [[name: 't', run_command: 'x \${a}', sweep_params: [a: [1, 5]]]]]").runs()
        def renamed = plan("config = [jobs: [[name: 't', run_command: 'x \${b}', sweep_params: [b: [1, 2]]]]]").runs()

        expect:
        grown.take(2)*.uid() == before*.uid()
        changed[0].uid() == before[0].uid()
        changed[1].uid() != before[1].uid()
        renamed*.uid().intersect(before*.uid()).isEmpty()
        plan("config = [jobs: [[name: 't', run_command: 'x \${a}', sweep_params: [a: [1, 2]]]]]").runs()*.uid()
                == before*.uid()
    }

    def "a swept upstream job gives its outputs per run"() {
        when:
        def p = plan("config = [jobs: [[name: 'up', run_command: 'x \${a} > o', output_files: 'o', " +
                "sweep_params: [a: [1, 2]]], [name: 'down', run_command: 'cat up/*/o', after: 'up']]]")

        then:
        p.jobs()['down'].upstreamInputs().keySet() == ['up/1/o', 'up/2/o'] as Set
    }
}
