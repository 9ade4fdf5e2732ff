package katapult.remote

import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Path

/**
 * run.sh after a spot interruption notice: the command gets its grace to save a checkpoint, and the run says
 * PREEMPTED only once the command ended, so whoever sees PREEMPTED finds the checkpoint whole.
 */
@Timeout(60)
@Tag('e2e')
class PreemptGraceSpec extends Specification {

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
    }

    def cleanup() {
        host?.close()
    }

    def "TERMed after a notice, the run stays RUNNING while its command saves, then is PREEMPTED with the file there"() {
        given: 'a command that takes a second to save its checkpoint on TERM'
        host.submit('t.1', '''trap 'sleep 1; echo saved > ckpt.txt; exit 143' TERM
            while :; do sleep 0.1; done''')
        host.agent('start')
        host.waitState('t.1', 'RUNNING')
        host.waitFor { host.exists('runs/t.1/pid') }
        def group = host.read('runs/t.1/pid').trim()

        when: 'the notice, then TERM to the group, as spot.sh does'
        host.write('runs/t.1/preempted', '2026-12-07T10:00:00Z\n')
        host.bash(['kill', '-TERM', '--', "-$group".toString()])

        then: 'while the command saves, the run is not PREEMPTED yet'
        host.holdsFor(0.6) { host.state('t.1') == 'RUNNING' }

        and: 'once PREEMPTED, the checkpoint is whole'
        host.waitState('t.1', 'PREEMPTED')
        host.read('runs/t.1/work/ckpt.txt') == 'saved\n'
        host.read('runs/t.1/reason_code') == 'PREEMPTED\n'
        host.read('runs/t.1/reason').contains('2026-12-07T10:00:00Z')
    }
}
