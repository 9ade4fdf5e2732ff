package katapult.state

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Specification

import static katapult.state.RunState.*
import katapult.state.RunTransitions.*

/** `katapult retry` on a run's record: an ABORTED run whose results are home goes again with its whole budget. */
class RequeuedSpec extends Specification {

    static RunRecord aborted(Map c = [:]) {
        new RunRecord('u-1', 'job', 1, c.attempt ?: 1, 'box', ABORTED, c.containsKey('exit') ? c.exit : 3, 10L, 20L,
                'exit code 3', c.containsKey('submitted') ? c.submitted : true,
                c.containsKey('fetched') ? c.fetched : true, c.retries ?: 0, c.preemptions ?: 0)
    }

    def "a re-queued run is a fresh attempt, not placed, with nothing of the old attempt but its number"() {
        when:
        RunRecord again = RunTransitions.apply(aborted(attempt: 3, retries: 1, preemptions: 2), new Requeued())

        then:
        again.state() == WAIT
        again.attempt() == 4
        again.rid() == 'u-1.4'
        again.instance() == null
        [again.exit(), again.start(), again.end(), again.reason()] == [null, null, null, null]
        !again.submitted()
        !again.fetched()
        again.retries() == 0
        again.preemptions() == 0
        again.requeuedAfter() == 3
        again.lossAttempts() == 1
    }

    def "a re-queued run that had used its losses has its MAX_ATTEMPTS attempts against losses again"() {
        given: 'a run ABORTED after three losses, re-queued'
        RunRecord run = RunTransitions.apply(aborted(attempt: RunTransitions.MAX_ATTEMPTS, exit: null),
                new Requeued())

        when:
        List<RunRecord> lives = []
        (RunTransitions.MAX_ATTEMPTS).times {
            run = RunTransitions.apply(RunTransitions.apply(RunTransitions.apply(run, new Placed('box')),
                    new Submitted()), new Lost('process vanished'))
            lives << run
        }

        then:
        lives*.state() == [WAIT, WAIT, ABORTED]
        lives*.attempt() == [5, 6, 6]
    }

    def "a re-queued run gets its max_retries again"() {
        given: 'a run that failed after using its one retry, re-queued'
        RunRecord run = RunTransitions.apply(aborted(attempt: 2, retries: 1), new Requeued())
        run = RunTransitions.apply(RunTransitions.apply(run, new Placed('box')), new Submitted())

        when:
        RunRecord failed = RunTransitions.apply(run, new Failed(new Seen(ABORTED, 3, 1L, 2L, 'exit code 3'), 1))

        then: 'it goes again once more'
        failed.state() == WAIT
        failed.attempt() == 4
        failed.retries() == 1
    }

    def "only an ABORTED run whose attempt is home (or never left) is re-queued: never a DONE one"() {
        when:
        RunTransitions.apply(run, new Requeued())

        then:
        thrown(IllegalTransition)

        where:
        run << [aborted().withState(DONE, 0, 1L, 2L, null), aborted(fetched: false),
                aborted().withState(RUNNING, null, 1L, null, null)]
    }

    def "an ABORTED run that never reached an instance is re-queued"() {
        expect:
        RunTransitions.apply(aborted(submitted: false, fetched: false, exit: null), new Requeued()).state() == WAIT
    }

    def "the mark survives the state file and is left out while zero"() {
        given:
        def mapper = new ObjectMapper()
        RunRecord again = RunTransitions.apply(aborted(attempt: 2), new Requeued())

        expect:
        mapper.readValue(mapper.writeValueAsString(again), RunRecord) == again
        !mapper.writeValueAsString(aborted()).contains('requeuedAfter')
        mapper.writeValueAsString(again).contains('"requeuedAfter":2')
    }
}
