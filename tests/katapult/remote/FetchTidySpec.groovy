package katapult.remote

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * What `fetch.sh R --ack` removes once Katapult has stored a run's results: the run's work files but its outputs,
 * then the stored uploads no run links to any more.
 */
@Timeout(60)
class FetchTidySpec extends Specification {

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
    }

    def cleanup() {
        host?.close()
    }

    /** The content store, beside the instances' folders: R/../../files. */
    Path store() {
        Files.createDirectories(host.root.resolve('../../files').normalize())
    }

    int ack(String rids, Map<String, String> env = [:]) {
        host.env.putAll(env)
        def file = tmp.resolve('acks')
        Files.writeString(file, rids)
        host.bash(['bash', '-c', 'bash "$1" "$2" --ack < "$3"', 'fetch', host.bin.resolve('fetch.sh').toString(),
                   host.root.toString(), file.toString()]).code
    }

    /** A stored file, read-only as Uploads leaves it. */
    Path stored(String text) {
        Path f = store().resolve(katapult.util.Hashes.of(text))
        Files.writeString(f, text)
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString('r--r--r--'))
        f
    }

    Path run(String rid, String state, List<String> outputs) {
        host.write("runs/$rid/state", state + '\n')
        host.write("runs/$rid/outputs", outputs ? outputs.join('\n') + '\n' : '')
        host.write("runs/$rid/out.log", 'log\n')
        Files.createDirectories(host.root.resolve("runs/$rid/work"))
    }

    List<String> files(Path dir) {
        Files.walk(dir).withCloseable { s ->
            s.filter { !Files.isDirectory(it) }.map { dir.relativize(it).toString() }.sorted().toList()
        }
    }

    def "a fetched run keeps its outputs, logs and state; its links, copies and scratch files go"() {
        given:
        Path shared = stored('big')
        Path w = run('a.1', 'DONE', ['o.txt', 'sub/p.txt', 'via-link.txt'])
        Files.createLink(w.resolve('big.bin'), shared)
        Files.writeString(w.resolve('copy.csv'), 'c')
        Files.createDirectories(w.resolve('scratch/deep'))
        Files.writeString(w.resolve('scratch/deep/t'), 't')
        Files.writeString(w.resolve('o.txt'), 'o')
        Files.createDirectories(w.resolve('sub'))
        Files.writeString(w.resolve('sub/p.txt'), 'p')
        Files.writeString(w.resolve('real.txt'), 'r')
        Files.createSymbolicLink(w.resolve('via-link.txt'), Path.of('real.txt'))
        host.write('runs/a.1/shared', 'big.bin\u0000')

        when:
        int code = ack('a.1\n')

        then:
        code == 0
        files(w) == ['o.txt', 'real.txt', 'sub/p.txt', 'via-link.txt']
        !Files.exists(w.resolve('scratch'))
        host.exists('runs/a.1/out.log') && host.state('a.1') == 'DONE' && host.exists('runs/a.1/fetched')
        !host.exists('runs/a.1/shared')

        and: 'the stored file stays for the grace period'
        Files.exists(shared)
    }

    def "runs acknowledged together are each tidied by their own outputs"() {
        given: 'two runs that hold files of the same names, each keeping a different one'
        Path a = run('m.1', 'DONE', ['keep a.txt'])
        Path b = run('m.2', 'ABORTED', ['keep b.txt'])
        [a, b].each { w ->
            Files.writeString(w.resolve('keep a.txt'), 'a')
            Files.writeString(w.resolve('keep b.txt'), 'b')
            Files.writeString(w.resolve('line\nbreak.tmp'), 'x')
        }
        Path c = run('m.3', 'RUNNING', [])
        Files.writeString(c.resolve('scratch'), 's')

        when:
        int code = ack('m.1\nm.3\nm.2\n')

        then:
        code == 0
        files(a) == ['keep a.txt']
        files(b) == ['keep b.txt']
        files(c) == ['scratch']
    }

    def "an unfinished run is never tidied, nor one acknowledged before"() {
        given:
        Path w = run('r.1', 'RUNNING', [])
        Files.writeString(w.resolve('in.csv'), 'i')
        Path d = run('d.1', 'DONE', [])
        Files.writeString(d.resolve('in.csv'), 'i')
        host.write('runs/d.1/fetched', '1\n')

        when:
        ack('r.1\nd.1\n')

        then:
        Files.exists(w.resolve('in.csv'))
        Files.exists(d.resolve('in.csv'))
    }

    def "the store drops what no run links to, once unchanged for the grace period"() {
        given:
        Path used = stored('used')
        Path gone = stored('gone')
        Path fresh = stored('fresh')
        Path other = store().resolve('not-a-sha')
        Files.writeString(other, 'x')
        Path keeping = run('k.1', 'RUNNING', [])
        Files.createLink(keeping.resolve('u.bin'), used)
        Path done = run('g.1', 'DONE', [])
        Files.createLink(done.resolve('g.bin'), gone)

        when: 'a grace of 0 s: every file unlinked counts as old'
        ack('g.1\n', [KATAPULT_STORE_GRACE: '0'])

        then: 'the file of the tidied run goes; the one a running run links and a name not of the store stay'
        !Files.exists(gone)
        Files.exists(used)
        Files.exists(other)
        !Files.exists(fresh) // unlinked and older than the grace of 0 s

        when: 'the default grace keeps a file unlinked a moment ago'
        Path recent = stored('recent')
        Path d2 = run('g.2', 'DONE', [])
        Files.createLink(d2.resolve('r.bin'), recent)
        host.env.remove('KATAPULT_STORE_GRACE')
        ack('g.2\n')

        then:
        Files.exists(recent)
        !Files.exists(d2.resolve('r.bin'))
    }
}
