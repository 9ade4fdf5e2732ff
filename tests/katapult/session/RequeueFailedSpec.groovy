package katapult.session

import katapult.state.RunRecord
import katapult.state.RunState
import spock.lang.Specification

/** What `retry --failed` takes: the runs whose attempt failed by its own doing, and no other ABORTED run. */
class RequeueFailedSpec extends Specification {

    static RunRecord aborted(Integer exit, String reason) {
        new RunRecord('u-1', 'j', 1, 1, 'box', RunState.ABORTED, exit, 1L, 2L, reason, true, true)
    }

    def "#why: #failed"() {
        expect:
        Requeue.failed(aborted(exit, reason)) == failed

        where:
        why                               | exit | reason                                                      || failed
        'a non-zero exit'                 | 3    | 'exit code 3'                                               || true
        'killed by a signal'              | 137  | 'exit code 137 (killed by signal KILL)'                     || true
        'an output not produced'          | 0    | "output 'o.txt' was not produced"                           || true
        'stopped'                         | null | 'stopped'                                                   || false
        'lost three times'                | null | 'process vanished (given up after 3 attempts)'              || false
        'preempted too often'             | null | 'preempted on s-1 (given up after 2 preemptions: max_preemptions)' || false
        'abandoned'                       | null | 'instance w-1 cannot be made: no capacity'                  || false
        'waited for an ABORTED run'       | null | 'waited for bad/1, which was ABORTED'                       || false
        'results given up after DONE'     | 0    | 'its results were discarded by `down --discard-unfetched`' || false
    }

    def "a DONE run is never failed"() {
        expect:
        !Requeue.failed(aborted(0, null).withState(RunState.DONE, 0, 1L, 2L, null))
    }
}
