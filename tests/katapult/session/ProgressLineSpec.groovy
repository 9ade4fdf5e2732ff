package katapult.session

import katapult.state.RunRecord
import katapult.state.RunState
import spock.lang.Specification

/** The one-line progress of a set of runs: counts and the ETA. */
class ProgressLineSpec extends Specification {

    RunRecord run(RunState state, Long start = null, Long end = null) {
        new RunRecord('u' + System.identityHashCode(new Object()), 'j', 1, 1, 'box', state, null, start, end, null,
                false, false)
    }

    def "counts done, running, failed and waiting, of N; no ETA before a run finished"() {
        expect:
        ProgressLine.of([run(RunState.RUNNING, 0), run(RunState.WAIT), run(RunState.QUEUE)], 10) ==
                '3 run(s): 0 done, 1 running, 0 failed, 2 waiting'
    }

    def "the ETA: what the running runs have left, then the waiting ones in waves of the running slots"() {
        given: 'finished runs took 60s on average; 2 run, started 20s ago; 5 wait'
        def runs = [run(RunState.DONE, 0, 50), run(RunState.ABORTED, 0, 70), run(RunState.RUNNING, 80),
                    run(RunState.RUNNING, 80)] + (1..5).collect { run(RunState.WAIT) }

        expect: '40s left for the running, then 3 waves of 60s'
        ProgressLine.of(runs, 100) == '9 run(s): 1 done, 2 running, 1 failed, 5 waiting; ETA 3m40s'
    }

    def "eta: #waiting waiting, #running running, mean #mean s -> #expected"() {
        expect:
        ProgressLine.eta(waiting, running, mean, runningFor) == expected

        where:
        waiting | running | mean | runningFor || expected
        0       | 0       | 10d  | 0          || null
        3       | 0       | 10d  | 0          || 30
        4       | 2       | 10d  | 4          || 26
        0       | 1       | 10d  | 15         || 0
        1       | 1       | null | 0          || null
    }

    def "durations read as the tables write them"() {
        expect:
        ProgressLine.duration(s) == text

        where:
        s    || text
        45   || '45s'
        130  || '2m10s'
        3900 || '1h05m'
    }
}
