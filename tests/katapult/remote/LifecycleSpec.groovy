package katapult.remote

import java.nio.file.Path
import java.util.concurrent.TimeUnit

import spock.lang.Specification

/**
 * The agent's lifecycle rule as a pure function: a snapshot in (what a shutdown does, the clocks, what is unfetched),
 * stay or shut down out. Only the function runs: no agent, no file, no clock.
 */
class LifecycleSpec extends Specification {

    static final Path TEMPLATES = Path.of(System.getProperty('basedir', '.')).resolve('templates')

    /** lifecycle_io over the snapshot (protocol.sh's words first, as the agent has them). */
    static String decide(Map<String, Object> snapshot) {
        def process = new ProcessBuilder('bash', '-c', 'source "$1" && source "$2" && lifecycle_io', 'lifecycle',
                TEMPLATES.resolve('protocol.sh').toString(), TEMPLATES.resolve('lifecycle.sh').toString())
                .redirectErrorStream(true).start()
        process.outputStream.withCloseable { it.write(snapshot.collect { k, v -> "$k $v\n" }.join('').getBytes('UTF-8')) }
        def out = process.inputStream.text
        assert process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0: out
        out.trim()
    }

    /**
     * Now is 10 000; idle stop 600 s, dead-man 1800 s, abandon 86 400 s. {@code idle} and {@code silent}: seconds since
     * the instance became idle and since Katapult last spoke.
     */
    static Map<String, Object> snapshot(String shutdown, int busy, int unfetched, int idle, int silent, int idleStop = 600) {
        [shutdown: shutdown, now: 100_000, busy: busy, unfetched: unfetched, idle_since: 100_000 - idle,
         heartbeat: 100_000 - silent, idle_stop: idleStop, hb_timeout: 1800, abandon: 86_400]
    }

    def "#what"() {
        expect:
        decide(snapshot(shutdown, busy, unfetched, idle, silent, idleStop)) == out

        where:
        what                                                              | shutdown    | busy | unfetched | idle   | silent | idleStop || out
        'a machine the provider does not own never shuts down'           | 'none'      | 0    | 0         | 99_000 | 99_000 | 600      || 'stay'
        '... nor does an unknown shutdown word'                           | 'reboot'    | 0    | 0         | 99_000 | 99_000 | 600      || 'stay'
        'idle, every result fetched, idle_stop elapsed: idle stop'       | 'stop'      | 0    | 0         | 600    | 10     | 600      || 'shutdown idle'
        'one second short of idle_stop: stays'                           | 'stop'      | 0    | 0         | 599    | 10     | 600      || 'stay'
        'idle stop destroys nothing unfetched: a spot instance stops too'| 'terminate' | 0    | 0         | 600    | 10     | 600      || 'shutdown idle'
        'an unfetched result keeps an idle instance up while Katapult speaks' | 'stop' | 0    | 1         | 5000   | 10     | 600      || 'stay'
        'idle stop off: idleness alone never stops it'                   | 'stop'      | 0    | 0         | 99_000 | 10     | 0        || 'stay'
        'a run active or queued: stays, whatever the clocks'             | 'stop'      | 1    | 0         | 99_000 | 99_000 | 600      || 'stay'
        'Katapult silent for heartbeat_timeout: dead-man, results kept on the stopped disk' | 'stop' | 0 | 3 | 0 | 1800 | 600 || 'shutdown deadman'
        'one second short of heartbeat_timeout: stays'                   | 'stop'      | 0    | 3         | 0      | 1799   | 600      || 'stay'
        'dead-man with idle stop off'                                    | 'stop'      | 0    | 0         | 0      | 1800   | 0        || 'shutdown deadman'
        'dead-man on a spot instance whose results are all fetched'      | 'terminate' | 0    | 0         | 0      | 1800   | 0        || 'shutdown deadman'
        'a spot instance with unfetched results waits for them'          | 'terminate' | 0    | 2         | 99_000 | 1800   | 600      || 'stay'
        '... until abandon_after'                                        | 'terminate' | 0    | 2         | 99_000 | 86_399 | 600      || 'stay'
        '... then gives them up'                                         | 'terminate' | 0    | 2         | 99_000 | 86_400 | 600      || 'shutdown abandon'
        'nothing runs: the dead-man needs nothing running'               | 'terminate' | 1    | 0         | 0      | 90_000 | 600      || 'stay'
    }

    def "the function touches nothing but its answer"() {
        when: 'it runs with no command at all on PATH'
        def process = new ProcessBuilder('bash', '-c', 'PATH=/nonexistent; cd / && source "$1" && source "$2" && lifecycle_io',
                'lifecycle', TEMPLATES.resolve('protocol.sh').toString(), TEMPLATES.resolve('lifecycle.sh').toString())
                .redirectErrorStream(true).start()
        process.outputStream.withCloseable {
            it.write(snapshot('stop', 0, 0, 600, 10).collect { k, v -> "$k $v\n" }.join('').getBytes('UTF-8'))
        }
        def out = process.inputStream.text

        then:
        process.waitFor(10, TimeUnit.SECONDS)
        out == 'shutdown idle\n'
    }
}
