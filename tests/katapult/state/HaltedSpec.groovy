package katapult.state

import spock.lang.Specification

/** A run whose instance Katapult stopped on purpose (the spend cap) waits again, never ABORTED for it. */
class HaltedSpec extends Specification {

    def "a submitted unfinished run waits again as a fresh attempt, even on its last attempt"() {
        given:
        def run = new RunRecord('u-1', 'j', 1, RunTransitions.MAX_ATTEMPTS, 'w-1', RunState.RUNNING, null, 10L, null,
                null, true, false)

        when:
        def after = RunTransitions.apply(run, new RunTransitions.Halted())

        then:
        after.state() == RunState.WAIT
        !after.submitted()
        after.attempt() == RunTransitions.MAX_ATTEMPTS + 1
        after.instance() == 'w-1'
        after.start() == null
    }

    def "a run not submitted yet is left as it is; a finished one cannot be halted"() {
        given:
        def waiting = RunRecord.planned('u-1', 'j', 1, 'w-1')
        def done = new RunRecord('u-2', 'j', 2, 1, 'w-1', RunState.DONE, 0, 1L, 2L, null, true, false)

        expect:
        RunTransitions.apply(waiting, new RunTransitions.Halted()) == waiting

        when:
        RunTransitions.apply(done, new RunTransitions.Halted())

        then:
        thrown(RunTransitions.IllegalTransition)
    }
}
