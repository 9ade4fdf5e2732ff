package katapult.remote

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The agent judging its machine's lifecycle on a test host: the shutdown command records the request in the host's
 * home (KATAPULT_SHUTDOWN_COMMAND), so nothing is powered off. Polls are the heartbeat; fetch.sh acknowledges.
 */
@Tag('e2e')
@Timeout(90)
class AgentLifecycleSpec extends Specification {

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
        host.env.KATAPULT_SHUTDOWN_COMMAND = 'date +%s >>"$HOME/shutdown.requested"'
        host.env.KATAPULT_AGENT_IDLE = '1'
    }

    def cleanup() {
        host?.agent('stop')
        host?.close()
    }

    Path getRequested() { host.home.resolve('shutdown.requested') }

    /** The lifecycle file as d_lifecycle writes it. */
    void lifecycle(String shutdown, int idleStop, int heartbeatTimeout, int abandonAfter = 86_400) {
        host.write('lifecycle', "shutdown $shutdown\nidle_stop $idleStop\nheartbeat_timeout $heartbeatTimeout\nabandon_after $abandonAfter\n")
    }

    /** fetch.sh over every log of {@code rids}, then Katapult's acknowledgement of them: the exit codes' sum. */
    int fetch(List<String> rids) {
        def input = tmp.resolve('requests')
        Files.writeString(input, rids.collect { "$it\tout.log\n" }.join(''))
        def acks = tmp.resolve('acks')
        Files.writeString(acks, rids.collect { "$it\n" }.join(''))
        String fetchSh = host.bin.resolve('fetch.sh').toString()
        host.bash(['bash', '-c', 'bash "$1" "$2" 1000000 < "$3" > /dev/null', 'fetch',
                   fetchSh, host.root.toString(), input.toString()]).code +
                host.bash(['bash', '-c', 'bash "$1" "$2" --ack < "$3"', 'fetch',
                           fetchSh, host.root.toString(), acks.toString()]).code
    }

    def "idle stop waits until every finished run is fetched, then comes within idle_stop"() {
        given:
        lifecycle('stop', 2, 3600)
        host.submit('r1.1', 'echo hi')

        when: 'the run ends, unfetched, while Katapult keeps polling'
        host.agent('start')
        host.waitState('r1.1', 'DONE')

        then: 'a poll every half second'
        int n = 0
        host.holdsFor(8) { if (n++ % 25 == 0) { host.poll() }; !Files.exists(requested) }

        when:
        long fetchedAt = System.currentTimeMillis()
        fetch(['r1.1']) == 0

        then: 'the acknowledgement marked the run, and the machine asks to shut down soon after'
        host.exists('runs/r1.1/fetched') && host.exists('last_fetch')
        host.waitFor(20) { Files.exists(requested) }
        // the clocks are whole epoch seconds: 2 s of idle_stop may come a little over 1 s after the acknowledgement
        System.currentTimeMillis() - fetchedAt >= 1000
        host.read('shutdown').trim().endsWith(' idle')
        host.loops().size() == 1     // the agent stays on a machine it may shut down
    }

    def "idle stop off: the agent only leaves when idle, as on a machine it does not own"() {
        given:
        lifecycle(shutdown, 0, 3600)
        host.submit('r1.1', 'true')

        when:
        host.agent('start')
        host.waitState('r1.1', 'DONE')
        fetch(['r1.1'])

        then:
        host.holdsFor(7) { !Files.exists(requested) }
        leaves ? host.waitFor(10) { host.loops().isEmpty() } : host.holdsFor(3) { !host.loops().isEmpty() }

        where:
        shutdown | leaves
        'none'   | true
        'stop'   | false
    }

    def "dead-man: Katapult silent for heartbeat_timeout, an on-demand machine shuts down with its results unfetched"() {
        given:
        lifecycle('stop', 0, 3)
        host.submit('r1.1', 'echo out')

        when:
        host.agent('start')
        host.waitState('r1.1', 'DONE')

        then:
        host.waitFor(20) { Files.exists(requested) }
        host.read('shutdown').trim().endsWith(' deadman')
        !host.exists('runs/r1.1/fetched')
    }

    def "dead-man on a spot instance: it waits for its unfetched results, shuts down once they are fetched"() {
        given:
        lifecycle('terminate', 0, 2)
        host.submit('r1.1', 'echo out')

        when:
        host.agent('start')
        host.waitState('r1.1', 'DONE')

        then:
        host.holdsFor(8) { !Files.exists(requested) }

        when:
        fetch(['r1.1'])

        then:
        host.waitFor(20) { Files.exists(requested) }
        host.read('shutdown').trim().endsWith(' deadman')
    }

    def "a spot instance abandons its results after abandon_after"() {
        given:
        lifecycle('terminate', 0, 1, 4)
        host.submit('r1.1', 'echo out')

        when:
        host.agent('start')
        host.waitState('r1.1', 'DONE')

        then:
        host.waitFor(20) { Files.exists(requested) }
        host.read('shutdown').trim().endsWith(' abandon')
    }

    def "polls and fetches refresh the heartbeat"() {
        when:
        host.poll()

        then:
        Math.abs((host.read('heartbeat').trim() as long) - System.currentTimeMillis().intdiv(1000)) <= 2

        when:
        host.remove('heartbeat')
        fetch([])

        then:
        host.exists('heartbeat')
    }

    def "on a machine it owns, the poll reports the clocks: idle since, heard before this poll, the delays"() {
        given:
        lifecycle('stop', 600, 1800)
        host.write('heartbeat', '1000\n')

        when: 'the agent, idle, notes its idle clock (every 5 s)'
        host.agent('start')
        long started = System.currentTimeMillis().intdiv(1000)

        then:
        host.waitFor(8) { host.exists('idle_since') }

        when:
        def first = host.pollLines()[0]
        def second = host.pollLines()[0]
        long now = System.currentTimeMillis().intdiv(1000)

        then: 'agent, its word, idle since, heard at (before this poll refreshed it), idle_stop, heartbeat_timeout'
        first.size() == 6
        first[0..1] == ['agent', 'running']
        (first[2] as long) >= started - 1 && (first[2] as long) <= now
        first[3] == '1000'
        first[4..5] == ['600', '1800']
        and: 'the next poll heard the first one'
        Math.abs((second[3] as long) - now) <= 2

        when: 'work arrives: the machine is no longer idle'
        host.submit('r.1', 'sleep 3')

        then:
        host.waitFor(5) { !host.exists('idle_since') }
        host.pollLines()[0][2] == '-'
    }

    def "on a machine it does not own, the agent line has no clocks (as before)"() {
        given:
        lifecycle('none', 600, 1800)
        host.write('heartbeat', '1000\n')

        expect:
        host.pollLines()[0].size() == 2
    }

    /** fetch.sh streaming every log of {@code rids}, without the acknowledgement: its exit code. */
    int streamOnly(List<String> rids) {
        def input = tmp.resolve('requests')
        Files.writeString(input, rids.collect { "$it\tout.log\n" }.join(''))
        host.bash(['bash', '-c', 'bash "$1" "$2" 1000000 < "$3" > /dev/null', 'fetch',
                   host.bin.resolve('fetch.sh').toString(), host.root.toString(), input.toString()]).code
    }

    def "a batch streamed but not acknowledged (Katapult could not store it) keeps the results: no idle stop"() {
        given:
        lifecycle('terminate', 1, 3600)
        host.submit('r1.1', 'echo hi')

        when:
        host.agent('start')
        host.waitState('r1.1', 'DONE')

        then:
        streamOnly(['r1.1']) == 0
        host.holdsFor(6) { !Files.exists(requested) }
        !host.exists('runs/r1.1/fetched')

        when: 'a later round fetches again and acknowledges'
        fetch(['r1.1'])

        then:
        host.waitFor(20) { Files.exists(requested) }
        host.read('shutdown').trim().endsWith(' idle')
    }

    def "after a stop and start no agent runs: the acknowledgement starts one on a machine it owns, which judges it again"() {
        given: 'a finished run on a machine that came back: no agent'
        lifecycle('stop', 1, 3600)
        host.write('runs/r1.1/state', 'DONE\n')
        host.write('runs/r1.1/out.log', 'hi\n')

        expect:
        host.loops().isEmpty()
        fetch(['r1.1']) == 0
        host.waitFor(10) { host.loops().size() == 1 }
        host.waitFor(20) { Files.exists(requested) }
        host.read('shutdown').trim().endsWith(' idle')
    }
}
