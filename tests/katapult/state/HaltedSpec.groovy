package katapult.state

import spock.lang.Specification

/** A run whose instance Katapult stopped on purpose (the spend cap) waits again, never ABORTED for it. */
class HaltedSpec extends Specification {

    def "a submitted unfinished run waits again as the same attempt, under a new folder, even on its last attempt"() {
        given:
        def run = new RunRecord('u-1', 'j', 1, RunTransitions.MAX_ATTEMPTS, 'w-1', RunState.RUNNING, null, 10L, null,
                null, true, false)

        when:
        def after = RunTransitions.apply(run, new RunTransitions.Halted())

        then:
        after.state() == RunState.WAIT
        !after.submitted()
        after.attempt() == RunTransitions.MAX_ATTEMPTS
        after.lossAttempts() == run.lossAttempts()
        after.halts() == 1
        after.rid() == 'u-1.3.h1'
        after.rid() != run.rid()
        after.instance() == 'w-1'
        after.start() == null
    }

    def "halts take no attempt: a run halted many times still has its losses, retries and preemptions"() {
        given:
        def run = new RunRecord('u-1', 'j', 1, 1, 'w-1', RunState.RUNNING, null, 10L, null, null, true, false)

        when: 'halted four times, each time sent again'
        4.times {
            run = RunTransitions.apply(run, new RunTransitions.Halted())
            run = RunTransitions.apply(run, new RunTransitions.Submitted())
        }

        then:
        run.attempt() == 1
        run.retries() == 0
        run.preemptions() == 0
        run.rid() == 'u-1.1.h4'

        when: 'it is lost afterwards: it goes again, its attempts untouched by the halts'
        def lost = RunTransitions.apply(run, new RunTransitions.Lost('instance w-1 is gone'))

        then:
        lost.state() == RunState.WAIT
        lost.attempt() == 2

        when: 'it fails with max_retries 1: it is retried once'
        def seen = new RunTransitions.Seen(RunState.ABORTED, 1, 10L, 11L, 'exit 1')
        def failed = RunTransitions.apply(run, new RunTransitions.Failed(seen, 1))

        then:
        failed.state() == RunState.WAIT
        failed.retries() == 1
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
