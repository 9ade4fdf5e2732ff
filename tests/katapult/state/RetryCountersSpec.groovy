package katapult.state

import spock.lang.Specification

import static katapult.state.RunState.*
import katapult.state.RunTransitions.*

/** The three counters of a run: losses (MAX_ATTEMPTS), retries after a failure (max_retries), preemptions. */
class RetryCountersSpec extends Specification {

    static RunRecord running(Map c = [:]) {
        new RunRecord('u-1', 'job', 1, c.attempt ?: 1, 'spot-1', RUNNING, null, 10L, null, null, true, false,
                c.retries ?: 0, c.preemptions ?: 0)
    }

    static Seen failedExit(int code = 3) {
        new Seen(ABORTED, code, 10L, 20L, "exit code ${code}".toString())
    }

    def "a preempted run waits PREEMPTED with its attempt unchanged, a new rid, off its instance's queue"() {
        when:
        RunRecord after = RunTransitions.apply(running(attempt: 2), new Preempted('preempted on spot-1', 10))

        then:
        after.state() == PREEMPTED
        after.attempt() == 2
        after.preemptions() == 1
        !after.submitted()
        after.start() == null
        after.reason() == 'preempted on spot-1'
        after.rid() == 'u-1.2.p1'
        running(attempt: 2).rid() == 'u-1.2'
    }

    def "a PREEMPTED run placed again is WAIT on its new instance and can be submitted there"() {
        given:
        RunRecord preempted = RunTransitions.apply(running(), new Preempted('preempted', 10))

        when:
        RunRecord placed = RunTransitions.apply(preempted, new Placed('other-1'))
        RunRecord submitted = RunTransitions.apply(placed, new Submitted())

        then:
        placed.state() == WAIT
        placed.instance() == 'other-1'
        placed.attempt() == 1
        submitted.submitted()
        submitted.rid() == 'u-1.1.p1'
    }

    def "max_preemptions bounds the preemptions: the next one makes the run ABORTED with a clear reason"() {
        when:
        RunRecord after = RunTransitions.apply(running(preemptions: 2), new Preempted('preempted on spot-1', 2))

        then:
        after.state() == ABORTED
        after.reason() == 'preempted on spot-1 (given up after 2 preemptions: max_preemptions)'
        after.preemptions() == 2
    }

    def "preemptions never count against the attempts a loss may take"() {
        given:
        RunRecord run = running()
        5.times {
            run = RunTransitions.apply(run, new Preempted('preempted', 10))
            run = RunTransitions.apply(RunTransitions.apply(RunTransitions.apply(run, new Placed('b')),
                    new Submitted()), new Seen(RUNNING, null, 1L, null, null))
        }

        when:
        RunRecord lost = RunTransitions.apply(run, new Lost('process vanished'))

        then:
        run.attempt() == 1
        run.preemptions() == 5
        lost.state() == WAIT
        lost.attempt() == 2
    }

    def "a failed run goes again max_retries times, a new attempt each, then stays ABORTED"() {
        given:
        RunRecord run = running()
        List<RunRecord> seen = []

        when:
        3.times {
            run = RunTransitions.apply(run, new Failed(failedExit(), 2))
            seen << run
            if (run.state() == WAIT) {
                run = RunTransitions.apply(RunTransitions.apply(run, new Submitted()), new Seen(RUNNING, null, 5L, null, null))
            }
        }

        then:
        seen*.state() == [WAIT, WAIT, ABORTED]
        seen*.attempt() == [2, 3, 3]
        seen*.retries() == [1, 2, 2]
        seen[2].exit() == 3
        seen[2].reason() == 'exit code 3'
    }

    def "without max_retries a failed run stays ABORTED as the agent said"() {
        expect:
        RunTransitions.apply(running(), new Failed(failedExit(1), 0)) ==
                RunTransitions.apply(running(), failedExit(1))
    }

    def "retries after failures do not use up the attempts a loss may take"() {
        when:
        RunRecord lost = RunTransitions.apply(running(attempt: 3, retries: 2), new Lost('instance rebooted'))
        RunRecord given = RunTransitions.apply(running(attempt: 5, retries: 2), new Lost('instance rebooted'))

        then:
        lost.state() == WAIT
        lost.attempt() == 4
        lost.retries() == 2
        given.state() == ABORTED
        given.reason() == 'instance rebooted (given up after 3 attempts)'
    }

    def "a failure must be ABORTED, a preemption must be of a run on its instance"() {
        when:
        RunTransitions.apply(running(), new Failed(new Seen(DONE, 0, 1L, 2L, null), 3))

        then:
        thrown(IllegalTransition)

        when:
        RunTransitions.apply(RunRecord.planned('u-2', 'job', 1, 'b'), new Preempted('x', 10))

        then:
        thrown(IllegalTransition)
    }

    def "a state written before the counters reads them as zero, and the notices as none"() {
        given:
        def mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)

        when:
        RunRecord run = mapper.readValue('{"uid":"u-1","job":"j","repeat":1,"attempt":2,"instance":"a",' +
                '"state":"WAIT","submitted":false,"fetched":false}', RunRecord)
        ProjectState state = mapper.readValue('{"format":"katapult-state/1","project":"p","configFiles":["c"],' +
                '"instances":[],"runs":[]}', ProjectState)

        then:
        run.retries() == 0
        run.preemptions() == 0
        run.rid() == 'u-1.2'
        state.spotNotices() == []
    }

    def "a spot notice is recorded once per instance generation, marks it going away, and counts for its entry"() {
        given:
        def box = new InstanceRecord('spot-1', 'aws', 'r/i-1', 2, 'RUNNING', 0, null, [])
        ProjectState state = ProjectState.empty('p', 'c.groovy').withInstances([box])

        when:
        state = state.withSpotNotice(new SpotNotice('spot-1', 0, 'spot', 'notice'))
                .withSpotNotice(new SpotNotice('spot-1', 0, 'spot', 'notice again'))

        then:
        state.spotNotices().size() == 1
        state.goingAway('spot-1')
        state.preemptionsOf('spot') == 1

        when: 'the instance is replaced'
        state = state.updateInstance('spot-1') { new InstanceRecord('spot-1', 'aws', 'r/i-2', 2, 'RUNNING', 1, null, []) }

        then:
        !state.goingAway('spot-1')
        state.preemptionsOf('spot') == 1
    }
}
