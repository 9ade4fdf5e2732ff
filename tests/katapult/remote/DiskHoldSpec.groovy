package katapult.remote

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * A run's private copies of uploads are made when it starts, and the agent starts it only when the instance's free
 * disk holds them: until then it stays QUEUE with the reason in its poll line. Shared uploads (links) cost no disk
 * and never hold a run back. The poll reports the free disk when asked. KATAPULT_DISK_RESERVE simulates a small disk.
 */
@Timeout(90)
@Tag('e2e')
class DiskHoldSpec extends Specification {

    static final Path DEPLOY = ScriptsFixture.TEMPLATES.resolve('deploy.sh')
    static final long MB = 1_000_000L

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
    }

    def cleanup() {
        host?.close()
    }

    /** A stored upload of {@code bytes} bytes under files/, read-only as the upload step leaves it. */
    String store(String sha, long bytes) {
        Path f = host.root.resolve("files/$sha")
        byte[] block = new byte[1 << 20]
        new Random(3).nextBytes(block)
        Files.newOutputStream(f).withCloseable { out ->
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(left, block.length))
            }
        }
        f.toFile().setWritable(false, false)
        sha
    }

    /** What the session's submission step sends: deploy.sh's d_run and d_flush, with one upload NAME as HOW (link or copy). */
    void deploy(String rid, String cmd, String name, String how, String sha) {
        def r = host.bash(['bash', '-c', 'source "$1/protocol.sh" && source "$2" && d_begin "$3" "$3/files" && shift 3 && d_run "$@" && d_flush',
                           'deploy', host.bin.toString(), DEPLOY.toString(), host.root.toString(),
                           rid, cmd, '', '1', 'links.txt\n', name, how, sha])
        assert r.code == 0: r.toString()
    }

    List<String> runLine(String rid) {
        host.pollLines().find { it[0] == 'run' && it[1] == rid }
    }

    def "a run whose private copy the disk cannot hold waits QUEUE with the reason, then starts once it can"() {
        given: 'a disk that seems full, a 20 MB upload, a run with a private copy of it and a run sharing it'
        host.env.KATAPULT_DISK_RESERVE = '999999999999999999'
        String sha = store('a' * 64, 20 * MB)
        deploy('copy.1', 'stat -c %h data.bin > links.txt; echo more >> data.bin', 'data.bin', 'copy', sha)
        deploy('link.1', 'stat -c %h data.bin > links.txt', 'data.bin', 'link', sha)

        expect: 'queued, the copy not made yet: the run holds a link to the stored file'
        host.exists('runs/copy.1/copies')
        Files.getAttribute(host.root.resolve('runs/copy.1/work/data.bin'), 'unix:nlink') == 3

        when:
        host.agent('start')

        then: 'the shared run is not held back'
        host.waitState('link.1', 'DONE')
        (host.read('runs/link.1/work/links.txt').trim() as int) >= 2

        and: 'the other stays QUEUE, with why'
        host.holdsFor(1.5) { host.state('copy.1') == 'QUEUE' }
        runLine('copy.1')[2] == 'QUEUE'
        runLine('copy.1')[6] == 'waiting for disk: needs 87.1 MB, 0 B free'
        host.read('agent.log').contains('run copy.1: waiting for disk')

        when: 'the knob is lifted (the agent started again without it)'
        host.agent('stop')
        host.env.remove('KATAPULT_DISK_RESERVE')
        host.agent('start')

        then: 'it starts, with a private writable copy; the stored upload is unchanged'
        host.waitState('copy.1', 'DONE')
        host.read('runs/copy.1/work/links.txt').trim() == '1'
        Files.size(host.root.resolve('runs/copy.1/work/data.bin')) == 20 * MB + 5
        Files.size(host.root.resolve("files/$sha")) == 20 * MB
        !host.exists('runs/copy.1/hold')
        !host.exists('runs/copy.1/copies')
        runLine('copy.1')[6] == '-'
    }

    def "poll.sh reports the free and total bytes of the project's disk when asked, as df tells them"() {
        when:
        def asked = host.bash(['bash', host.bin.resolve('poll.sh').toString(), host.root.toString(), 'all', 'disk'])
        def plain = host.pollLines()
        def df = host.bash(['df', '-P', '-B1', host.root.toString()]).out.readLines().last().split(/\s+/)

        then:
        asked.code == 0
        def lines = asked.out.readLines()*.split('\t', -1)*.toList()
        lines[0][0] == 'agent'
        lines[1][0] == 'disk'
        lines[1].size() == 3
        lines[1][2] == df[1]
        Math.abs((lines[1][1] as long) - (df[3] as long)) < 50 * MB

        and: 'parsed'
        PollReport.parse(asked.out).disk().total() == (df[1] as long)
        PollReport.parse(asked.out).garbled().isEmpty()

        and: 'not asked, not told (the line shapes of before)'
        plain.every { it[0] != 'disk' }
    }

    def "a run whose copy cannot be made is ABORTED COPY_FAILED"() {
        given:
        String sha = store('b' * 64, 1000)
        deploy('gone.1', 'true', 'sub/data.bin', 'copy', sha)
        // what a copy that fails finds: its link gone (a full disk fails the same way, later)
        Files.delete(host.root.resolve('runs/gone.1/work/sub/data.bin'))

        when:
        host.agent('start')

        then:
        host.waitState('gone.1', 'ABORTED')
        host.read('runs/gone.1/reason_code').trim() == 'COPY_FAILED'
        host.read('runs/gone.1/reason').trim() == "could not copy upload 'sub/data.bin' into the run's folder (disk full?)"
    }
}
