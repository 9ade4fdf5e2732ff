package katapult.remote

import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

import katapult.provider.aws.FakeMetadata
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * spot.sh's functions against a stand-in metadata service on 127.0.0.1: the notice asked for the IMDSv2 way, and
 * what a notice does to the active and queued runs of an instance folder.
 */
@Timeout(60)
class SpotWatchSpec extends Specification {

    static final Path TEMPLATES = Path.of(System.getProperty('basedir', '.')).resolve('templates')

    @TempDir
    Path r

    @AutoCleanup
    FakeMetadata metadata = new FakeMetadata()

    /** Runs {@code script} with lib.sh, the agent's helpers spot.sh uses, and spot.sh sourced; R is the temp folder. */
    String bash(String script) {
        String prelude = '''
            source "$1/lib.sh" || exit 1
            seconds() { echo "${1:-5}"; }
            NAME_RE='^[A-Za-z0-9._-]+$'
            queue_names() { local LC_ALL=C; Q=("$R"/queue/*); }
            forget() { :; }
            declare -A ACTIVE=()
            shopt -s nullglob
            source "$1/spot.sh" || exit 1
        '''
        def process = new ProcessBuilder('bash', '-c', prelude + script, 'spot', TEMPLATES.toString())
                .redirectErrorStream(true)
        process.environment().put('R', r.toString())
        def p = process.start()
        def out = p.inputStream.text
        assert p.waitFor(20, TimeUnit.SECONDS): out
        out.trim()
    }

    def "no spot file: no watch, nothing asked"() {
        expect:
        bash('watch_spot; echo "[${PREEMPTED_AT}]"') == '[]'
        metadata.requests.isEmpty()
    }

    def "no notice (404): none; a notice: its time, asked with a token"() {
        given:
        Files.writeString(r.resolve('spot'), metadata.base() + '\n')

        expect:
        bash('spot_notice && echo "notice $NOTICE" || echo none') == 'none'
        metadata.requests == ['PUT /latest/api/token', 'GET /latest/meta-data/spot/instance-action']

        when:
        metadata.notice('2026-12-07T10:00:00Z')

        then:
        bash('spot_notice && echo "notice $NOTICE" || echo none') == 'notice 2026-12-07T10:00:00Z'
    }

    def "a metadata address that is not http is never asked"() {
        given:
        Files.writeString(r.resolve('spot'), 'file:///etc/passwd\n')
        metadata.notice('2026-12-07T10:00:00Z')

        expect:
        bash('spot_notice && echo notice || echo none') == 'none'
        metadata.requests.isEmpty()
    }

    def "a notice: the active run's group gets TERM after its preempted file, queued runs are PREEMPTED and leave the queue"() {
        given:
        Files.writeString(r.resolve('spot'), metadata.base() + '\n')
        metadata.notice('2026-12-07T10:00:00Z')
        ['a', 'b'].each { Files.createDirectories(r.resolve("runs/$it")) }
        Files.createDirectories(r.resolve('queue'))
        Files.writeString(r.resolve('runs/a/state'), 'RUNNING\n')
        Files.writeString(r.resolve('runs/b/state'), 'QUEUE\n')
        Files.writeString(r.resolve('queue/b'), '')

        when:
        String out = bash('''
            setsid bash -c 'trap "cat \\"$R/runs/a/preempted\\" > \\"$R/got\\"; exit 0" TERM; while :; do sleep 0.05; done' &
            pid=$!
            for _ in $(seq 100); do leader_alive "$pid" && break; sleep 0.02; done
            put "$R/runs/a/pid" "$pid"
            ACTIVE[a]=1
            watch_spot
            for _ in $(seq 200); do [[ -s $R/got ]] && break; sleep 0.02; done
            kill -KILL -- "-$pid" 2>/dev/null
            echo "at $PREEMPTED_AT"
        ''')

        then:
        out.endsWith('at 2026-12-07T10:00:00Z')
        Files.readString(r.resolve('preempted')).trim() == '2026-12-07T10:00:00Z'
        Files.readString(r.resolve('got')).trim() == '2026-12-07T10:00:00Z'
        Files.readString(r.resolve('runs/b/state')).trim() == 'PREEMPTED'
        Files.readString(r.resolve('runs/b/reason_code')).trim() == 'PREEMPTED'
        Files.readString(r.resolve('runs/b/reason')).contains('2026-12-07T10:00:00Z')
        !Files.exists(r.resolve('queue/b'))
    }

    def "a notice an earlier agent found still holds: new queue entries are PREEMPTED without asking again"() {
        given:
        Files.writeString(r.resolve('spot'), metadata.base() + '\n')
        Files.writeString(r.resolve('preempted'), '2026-12-07T10:00:00Z\n')
        Files.createDirectories(r.resolve('runs/c'))
        Files.createDirectories(r.resolve('queue'))
        Files.writeString(r.resolve('runs/c/state'), 'WAIT\n')
        Files.writeString(r.resolve('queue/c'), '')

        expect:
        bash('watch_spot; echo "at $PREEMPTED_AT"').endsWith('at 2026-12-07T10:00:00Z')
        Files.readString(r.resolve('runs/c/state')).trim() == 'PREEMPTED'
        metadata.requests.isEmpty()
    }
}
