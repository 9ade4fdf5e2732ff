package katapult.state

import spock.lang.Specification

import static katapult.state.RunState.*
import katapult.state.RunTransitions.*

class RunTransitionsSpec extends Specification {

    static RunRecord run(Map flags = [:], RunState state) {
        new RunRecord('u-1', 'job', 1, flags.attempt ?: 1, flags.containsKey('instance') ? flags.instance : 'box', state,
                flags.exit, flags.start, flags.end, flags.reason, flags.submitted ?: false, flags.fetched ?: false)
    }

    def "a legal change gives the record its new state, times, attempt and flags"() {
        when:
        RunRecord after = RunTransitions.apply(before, change)

        then:
        after.state() == state
        after.attempt() == attempt
        after.exit() == exit
        after.start() == start
        after.end() == end
        after.submitted() == submitted
        after.fetched() == fetched
        after.reason() == reason

        where:
        before                                                   | change                                    || state   | attempt | exit | start | end  | submitted | fetched | reason
        run(WAIT, instance: null)                                | new Placed('box')                         || WAIT    | 1       | null | null  | null | false     | false   | null
        run(WAIT)                                                | new Submitted()                           || WAIT    | 1       | null | null  | null | true      | false   | null
        run(WAIT, submitted: true)                               | new Seen(RUNNING, null, 10L, null, null)  || RUNNING | 1       | null | 10L   | null | true      | false   | null
        run(RUNNING, submitted: true, start: 10L)                | new Seen(RUNNING, null, null, null, null) || RUNNING | 1       | null | 10L   | null | true      | false   | null
        run(RUNNING, submitted: true, start: 10L)                | new Seen(DONE, 0, 10L, 20L, null)         || DONE    | 1       | 0    | 10L   | 20L  | true      | false   | null
        run(RUNNING, submitted: true, start: 10L)                | new Seen(ABORTED, 3, 10L, 20L, 'exit 3')  || ABORTED | 1       | 3    | 10L   | 20L  | true      | false   | 'exit 3'
        run(RUNNING, submitted: true, start: 10L)                | new Unreachable()                         || UNKNOWN | 1       | null | 10L   | null | true      | false   | null
        run(UNKNOWN, submitted: true, start: 10L)                | new Seen(DONE, 0, 10L, 30L, null)         || DONE    | 1       | 0    | 10L   | 30L  | true      | false   | null
        run(RUNNING, submitted: true, start: 10L)                | new Lost('instance rebooted')             || WAIT    | 2       | null | null  | null | false     | false   | null
        run(RUNNING, submitted: true, start: 10L, attempt: 3)    | new Lost('instance rebooted')             || ABORTED | 3       | null | 10L   | null | true      | false   | 'instance rebooted (given up after 3 attempts)'
        run(WAIT)                                                | new Abandoned('cannot start box')         || ABORTED | 1       | null | null  | null | false     | false   | 'cannot start box'
        run(DONE, submitted: true, exit: 0, start: 1L, end: 2L)  | new Fetched()                             || DONE    | 1       | 0    | 1L    | 2L   | true      | true    | null
        run(DONE, submitted: true, exit: 0, start: 1L, end: 2L)  | new ResultsLost('discarded')              || ABORTED | 1       | 0    | 1L    | 2L   | true      | true    | 'discarded'
        run(DONE, submitted: true, fetched: true, exit: 0)       | new Unfetched()                           || DONE    | 1       | 0    | null  | null | true      | false   | null
    }

    def "a change that cannot happen is refused, naming the run and why: #why"() {
        when:
        RunTransitions.apply(before, change)

        then:
        IllegalTransition e = thrown()
        e.message.contains('u-1')
        e.message.contains(why)

        where:
        before                                  | change                                    || why
        run(DONE, submitted: true, exit: 0)     | new Seen(RUNNING, null, 1L, null, null)   || 'already finished'
        run(DONE, submitted: true, exit: 0)     | new Seen(QUEUE, null, null, null, null)   || 'already finished'
        run(ABORTED, submitted: true)           | new Seen(DONE, 0, 1L, 2L, null)           || 'already finished'
        run(DONE, submitted: true, exit: 0)     | new Lost('process vanished')              || 'finished'
        run(DONE, submitted: true, exit: 0)     | new Submitted()                           || 'finished'
        run(DONE, submitted: true, exit: 0)     | new Unreachable()                         || 'finished'
        run(ABORTED)                            | new Abandoned('again')                    || 'finished'
        run(WAIT, submitted: true)              | new Placed('other')                       || 'on its way'
        run(WAIT, instance: null)               | new Submitted()                           || 'no instance'
        run(WAIT)                               | new Seen(RUNNING, null, 1L, null, null)   || 'not on its instance'
        run(RUNNING, submitted: true)           | new Fetched()                             || 'no results'
        run(ABORTED)                            | new Fetched()                             || 'no results'
        run(RUNNING, submitted: true)           | new ResultsLost('gone')                   || 'not finished'
    }

    def "a DONE run never runs twice, whatever the agent later says"() {
        given:
        RunRecord done = RunTransitions.apply(run(RUNNING, submitted: true), new Seen(DONE, 0, 1L, 2L, null))

        expect:
        RunTransitions.apply(done, new Seen(DONE, 0, 1L, 2L, null)) == done

        when:
        RunTransitions.apply(done, new Seen(RUNNING, null, 5L, null, null))

        then:
        thrown(IllegalTransition)
    }
}
