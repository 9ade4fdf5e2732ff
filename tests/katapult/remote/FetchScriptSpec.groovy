package katapult.remote

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * fetch.sh, the instance side of a fetch: a manifest, then one tar streamed to stdout. Nothing is stored on the
 * instance, nothing is read through a link that leads out of a run's folder, and a batch is bounded in bytes.
 */
@Timeout(60)
class FetchScriptSpec extends Specification {

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
    }

    def cleanup() {
        host?.close()
    }

    /** Runs fetch.sh on {@code requests} ([rid, name] pairs); returns the manifest lines and the tar's listing. */
    Map fetch(List<List<String>> requests, long maxBytes = 1L << 30) {
        def input = tmp.resolve('requests')
        Files.writeString(input, requests.collect { it.join('\t') + '\n' }.join(''))
        def out = tmp.resolve('answer')
        def r = host.bash(['bash', '-c', 'bash "$1" "$2" "$3" < "$4" > "$5"', 'fetch',
                           host.bin.resolve('fetch.sh').toString(), host.root.toString(), "$maxBytes".toString(),
                           input.toString(), out.toString()])
        assert r.code == 0: r.toString()
        byte[] all = Files.readAllBytes(out)
        int end = new String(all, 'ISO-8859-1').indexOf('tar\n')
        assert end >= 0
        def lines = new String(all, 0, end, 'UTF-8').readLines()
        def bytesLine = lines.find { it.startsWith('bytes\t') }
        def manifest = lines - [bytesLine]
        def tarFile = tmp.resolve('answer.tar')
        Files.write(tarFile, Arrays.copyOfRange(all, end + 4, all.length))
        def names = Files.size(tarFile) == 0 ? [] :
                ['tar', '-tf', tarFile.toString()].execute().text.readLines()
        [manifest: manifest, names: names, bytes: bytesLine == null ? null : bytesLine.substring(6) as long]
    }

    Path work(String rid) {
        Files.createDirectories(host.root.resolve("runs/$rid/work"))
    }

    def "regular files are packed under their names; logs a run never wrote are said missing, not packed"() {
        given:
        def w = work('a.1')
        Files.writeString(w.resolve('o.txt'), 'x\n')
        Files.createDirectories(w.resolve('sub'))
        Files.writeString(w.resolve('sub/p.txt'), 'y\n')
        Files.writeString(w.resolve('../out.log'), 'log\n')

        when:
        def got = fetch([['a.1', 'out.log'], ['a.1', 'err.log'], ['a.1', 'work/o.txt'], ['a.1', 'work/sub/p.txt']])

        then:
        got.names == ['a.1/out.log', 'a.1/work/o.txt', 'a.1/work/sub/p.txt']
        got.manifest == ['skip\ta.1/err.log\twas not found']
        !Files.list(host.root).anyMatch { it.fileName.toString().endsWith('.tar') }
    }

    def "the manifest ends with the size of what is packed, for the reader's progress; runs left for later count nothing"() {
        given:
        Files.write(work('a.1').resolve('o.bin'), new byte[3000])
        Files.write(work('b.1').resolve('o.bin'), new byte[5000])

        when:
        def got = fetch([['a.1', 'work/o.bin'], ['b.1', 'work/o.bin']], 4000)

        then:
        got.names == ['a.1/work/o.bin']
        got.manifest == ['later\tb.1']
        got.bytes == 3000
    }

    def "a link that leads out of the run's folder is never followed; one that stays inside is packed as its target"() {
        given:
        def w = work('a.1')
        Files.createDirectories(w.resolve('real'))
        Files.writeString(w.resolve('real/r.txt'), 'r\n')
        Files.createSymbolicLink(w.resolve('inside.txt'), Path.of('real/r.txt'))
        Files.createSymbolicLink(w.resolve('linked'), Path.of('real'))
        // (links lead to a folder of the spec's own: a link to a system folder would be followed by the clean-up)
        def secret = Files.createDirectories(tmp.resolve('secret'))
        Files.writeString(secret.resolve('passwd'), 'root:x:0:0\n')
        Files.createSymbolicLink(w.resolve('passwd.txt'), secret.resolve('passwd'))
        Files.createSymbolicLink(w.resolve('etc'), secret)
        Files.createSymbolicLink(w.resolve('nowhere.txt'), Path.of('gone.txt'))

        when:
        def got = fetch([['a.1', 'work/inside.txt'], ['a.1', 'work/linked/r.txt'], ['a.1', 'work/passwd.txt'],
                         ['a.1', 'work/etc/passwd'], ['a.1', 'work/nowhere.txt']])

        then:
        got.names == ['a.1/work/real/r.txt']
        got.manifest.contains('as\ta.1/work/real/r.txt\ta.1/work/inside.txt')
        got.manifest.contains('as\ta.1/work/real/r.txt\ta.1/work/linked/r.txt')
        got.manifest.contains("skip\ta.1/work/passwd.txt\tis a link to ${secret.toRealPath()}/passwd, outside the run's folder (never read)".toString())
        got.manifest.contains("skip\ta.1/work/etc/passwd\tis a link to ${secret.toRealPath()}/passwd, outside the run's folder (never read)".toString())
        got.manifest.contains('skip\ta.1/work/nowhere.txt\tis a link that leads nowhere')
    }

    def "a folder, a FIFO, a linked run folder and a name that climbs out are refused with the reason"() {
        given:
        def w = work('a.1')
        Files.createDirectories(w.resolve('dir'))
        assert ['mkfifo', w.resolve('fifo').toString()].execute().waitFor() == 0
        Files.createDirectories(host.root.resolve('runs/b.1'))
        Files.createSymbolicLink(host.root.resolve('runs/b.1/work'), Files.createDirectories(tmp.resolve('elsewhere')))

        when:
        def got = fetch([['a.1', 'work/dir'], ['a.1', 'work/fifo'], ['a.1', 'work/../../x'], ['b.1', 'work/x'],
                         ['../a', 'out.log']])

        then:
        got.names == []
        got.manifest == ['skip\ta.1/work/../../x\tis not a name Katapult asks for',
                         'skip\ta.1/work/dir\tis a folder, not a file',
                         'skip\ta.1/work/fifo\tis not a regular file (a FIFO, socket or device)',
                         "skip\tb.1/work/x\tcannot be read: the run's folder is a link"]
    }

    def "a batch holds whole runs within its byte bound, the first run whatever its size; the rest come later"() {
        given:
        ['a.1', 'b.1', 'c.1'].each { Files.writeString(work(it).resolve('o.txt'), 'x' * 100) }

        when:
        def got = fetch([['a.1', 'work/o.txt'], ['b.1', 'work/o.txt'], ['c.1', 'work/o.txt']], 150)

        then:
        got.names == ['a.1/work/o.txt']
        got.manifest == ['later\tb.1', 'later\tc.1']
    }

    /** fetch.sh R --ack over {@code input}: its exit code. */
    int ack(String input) {
        def file = tmp.resolve('acks')
        Files.writeString(file, input)
        host.bash(['bash', '-c', 'bash "$1" "$2" --ack < "$3"', 'fetch', host.bin.resolve('fetch.sh').toString(),
                   host.root.toString(), file.toString()]).code
    }

    def "a batch streamed whole is not yet fetched: only Katapult's acknowledgement, once it stored it, says so"() {
        given:
        ['a.1', 'b.1'].each { Files.writeString(work(it).resolve('o.txt'), 'x' * 100) }

        when:
        def got = fetch([['a.1', 'work/o.txt'], ['b.1', 'work/o.txt']], 1000)

        then: 'Katapult spoke, nothing is fetched yet'
        got.names == ['a.1/work/o.txt', 'b.1/work/o.txt']
        Files.exists(host.root.resolve('heartbeat'))
        !Files.exists(host.root.resolve('runs/a.1/fetched'))
        !Files.exists(host.root.resolve('last_fetch'))

        when: 'Katapult stored a.1 only'
        int code = ack('a.1\r\n../b.1\nnope.1\n')

        then: 'the run named is fetched; a name outside runs/ and a missing run change nothing'
        code == 0
        Files.exists(host.root.resolve('runs/a.1/fetched'))
        !Files.exists(host.root.resolve('runs/b.1/fetched'))
        !Files.exists(host.root.resolve('runs/nope.1'))
        Files.readString(host.root.resolve('last_fetch')).trim() ==~ /\d+/
    }

    def "an acknowledgement naming no run marks nothing; it never starts an agent on a machine the agent does not own"() {
        given:
        work('a.1')

        expect:
        ack('') == 0
        !Files.exists(host.root.resolve('last_fetch'))
        ack('a.1\n') == 0
        !Files.exists(host.root.resolve('agent.pid'))
    }

    def "a stream cut short acknowledges nothing"() {
        given:
        Files.write(work('a.1').resolve('o.txt'), new byte[4 << 20])

        when: 'the reader goes away at once'
        def r = host.bash(['bash', '-c', 'printf "a.1\\twork/o.txt\\n" | bash "$1" "$2" 100000000 | head -c 10 >/dev/null',
                           'fetch', host.bin.resolve('fetch.sh').toString(), host.root.toString()])

        then:
        r.code == 0
        !Files.exists(host.root.resolve('runs/a.1/fetched'))
        !Files.exists(host.root.resolve('last_fetch'))
    }
}
