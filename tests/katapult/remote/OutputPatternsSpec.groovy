package katapult.remote

import java.nio.file.Files
import java.nio.file.Path

import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Output folders ({@code ckpt/}) and glob patterns ({@code plots/*.png}, {@code **}{@code /*.json}) on the instance:
 * run.sh judges them once the command ended (matching nothing ABORTs the run unless the entry ends with the optional
 * mark {@code ?}), fetch.sh streams every file they match, and its tidy keeps those files.
 */
@Timeout(60)
class OutputPatternsSpec extends Specification {

    @TempDir
    Path tmp

    ScriptsFixture host

    def setup() {
        host = new ScriptsFixture(tmp)
    }

    def cleanup() {
        host?.close()
    }

    /** Runs run.sh on a run whose command is {@code cmd}, its outputs {@code outputs}; returns its final state. */
    String run(String rid, String cmd, List<String> outputs) {
        host.submit(rid, cmd, outputs: outputs)
        def r = host.bash(['bash', host.bin.resolve('run.sh').toString(), host.root.resolve("runs/$rid").toString()])
        assert r.code == 0: r.toString()
        host.state(rid)
    }

    String reason(String rid) { host.read("runs/$rid/reason").trim() }

    /** fetch.sh on [rid, name] requests: the manifest lines (without the bytes line) and the tar's names. */
    Map fetch(List<List<String>> requests) {
        def input = tmp.resolve('requests')
        Files.writeString(input, requests.collect { it.join('\t') + '\n' }.join(''))
        def out = tmp.resolve('answer')
        def r = host.bash(['bash', '-c', 'bash "$1" "$2" 1073741824 < "$3" > "$4"', 'fetch',
                           host.bin.resolve('fetch.sh').toString(), host.root.toString(), input.toString(), out.toString()])
        assert r.code == 0: r.toString()
        byte[] all = Files.readAllBytes(out)
        int end = new String(all, 'ISO-8859-1').indexOf('tar\n')
        def manifest = new String(all, 0, end, 'UTF-8').readLines().findAll { !it.startsWith('bytes\t') }
        def tarFile = tmp.resolve('answer.tar')
        Files.write(tarFile, Arrays.copyOfRange(all, end + 4, all.length))
        def names = Files.size(tarFile) == 0 ? [] : ['tar', '-tf', tarFile.toString()].execute().text.readLines()
        [manifest: manifest, names: names.sort()]
    }

    static final String PLOTS = '''mkdir -p plots/sub ckpt/a/b logs
echo 1 > plots/one.png; echo 2 > plots/two.png; echo 3 > plots/sub/deep.png; echo x > plots/notes.txt
echo s > ckpt/a/b/state.pt; echo t > ckpt/top.pt
echo '{}' > metrics.json; echo '{}' > logs/run.json; echo 'n' > "with space.json"'''

    def "folders and patterns match nested files; everything matched is streamed with its path"() {
        expect:
        run('p.1', PLOTS, ['plots/*.png', 'ckpt/', '**/*.json', 'missing/*.csv?']) == 'DONE'

        when:
        def got = fetch([['p.1', 'work/plots/*.png'], ['p.1', 'work/ckpt/'], ['p.1', 'work/**/*.json'],
                         ['p.1', 'work/missing/*.csv']])

        then:
        got.names == ['p.1/work/ckpt/a/b/state.pt', 'p.1/work/ckpt/top.pt', 'p.1/work/logs/run.json',
                      'p.1/work/metrics.json', 'p.1/work/plots/one.png', 'p.1/work/plots/two.png',
                      'p.1/work/with space.json']
        got.manifest == ['skip\tp.1/work/missing/*.csv\tmatched nothing']
    }

    def "a pattern that matches nothing ABORTs the run with that reason; marked optional it does not"() {
        expect:
        run('n.1', 'echo a > a.txt', outputs) == state
        state == 'DONE' || reason('n.1') == why

        where:
        outputs                      || state     | why
        ['plots/*.png']              || 'ABORTED' | "output 'plots/*.png' matched nothing"
        ['ckpt/']                    || 'ABORTED' | "output 'ckpt/' matched nothing"
        ['plots/*.png?', 'ckpt/?']   || 'DONE'    | null
        ['b.txt?', 'a.txt']          || 'DONE'    | null
        ['b.txt']                    || 'ABORTED' | "output 'b.txt' was not produced"
    }

    def "a plain name that is a folder says how to fetch a folder"() {
        expect:
        run('f.1', 'mkdir -p out; echo x > out/x', ['out']) == 'ABORTED'
        reason('f.1') == "output 'out' is a folder, not a file (write 'out/' to fetch a folder)"
    }

    def "a link inside an output folder that leads out of the run's folder ABORTs the run; fetch.sh never reads it"() {
        given: 'a file outside the run, in this spec own temp folder'
        def secret = tmp.resolve('secret.txt')
        Files.writeString(secret, 'not yours\n')

        expect:
        run('l.1', "mkdir -p out; echo x > out/x.txt; ln -s '$secret' out/leak.txt", ['out/']) == 'ABORTED'
        reason('l.1') == "output 'out/leak.txt' is a link to $secret, outside the run's folder (never read)"

        when:
        def got = fetch([['l.1', 'work/out/']])

        then:
        got.names == ['l.1/work/out/x.txt']
        got.manifest == ["skip\tl.1/work/out/leak.txt\tis a link to $secret, outside the run's folder (never read)".toString()]
    }

    def "a pattern reaching through a linked folder that leads out is refused the same way"() {
        given:
        def outside = Files.createDirectories(tmp.resolve('elsewhere'))
        Files.writeString(outside.resolve('p.png'), 'p\n')

        expect:
        run('d.1', "ln -s '$outside' plots", ['plots/*.png']) == 'ABORTED'
        reason('d.1').startsWith("output 'plots/p.png' is a link to $outside")
    }

    def "the fetch tidy keeps every file a folder or pattern matched, and drops the rest"() {
        given:
        run('t.1', PLOTS + '; echo tmp > scratch.bin', ['plots/*.png', 'ckpt/']) == 'DONE'

        when:
        def file = tmp.resolve('acks')
        Files.writeString(file, 't.1\n')
        def r = host.bash(['bash', '-c', 'bash "$1" "$2" --ack < "$3"', 'fetch', host.bin.resolve('fetch.sh').toString(),
                           host.root.toString(), file.toString()])
        def work = host.root.resolve('runs/t.1/work')
        def left = Files.walk(work).withCloseable { s ->
            s.filter { Files.isRegularFile(it) }.collect { work.relativize(it).toString() }.sort()
        }

        then:
        r.code == 0
        left == ['ckpt/a/b/state.pt', 'ckpt/top.pt', 'plots/one.png', 'plots/two.png']
    }
}
