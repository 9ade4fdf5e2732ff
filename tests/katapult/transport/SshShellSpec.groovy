package katapult.transport

import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.time.Duration

import katapult.remote.RemoteLayout
import katapult.remote.Uploads
import spock.lang.AutoCleanup
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** SshShell against real SSH servers (embedded, on loopback addresses): exec, quoting, transfers, one connection. */
@Timeout(60)
@Tag('e2e')
class SshShellSpec extends Specification {

    @Shared
    @TempDir
    Path dir

    @Shared
    @AutoCleanup
    SshTestHosts hosts

    @Shared
    SshTestHosts.Host host

    @AutoCleanup
    SshConnections pool

    def setupSpec() {
        hosts = new SshTestHosts(dir)
        host = hosts.start()
    }

    def setup() {
        pool = new SshConnections(settings(dir.resolve("project-${System.nanoTime()}/known_hosts")))
    }

    static SshSettings settings(Path knownHosts) {
        new SshSettings(knownHosts.parent.resolve('no-user-ssh'), knownHosts, null, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMillis(400))
    }

    def "a command runs with bash in the host's home, with its exit code and separate stdout and stderr"() {
        when:
        def result = pool.shell(host.target()).exec('echo "out:$HOME:$PWD:${BASH_VERSION%%.*}"; echo err >&2; exit 3', null, Duration.ofSeconds(20))

        then:
        result.exitCode() == 3
        result.stdout() == "out:${host.home}:${host.home}:${BashVersion.major()}\n"
        result.stderr() == 'err\n'
    }

    def "stdin reaches the command"() {
        expect:
        pool.shell(host.target()).exec('bash -s', 'echo "$((6 * 7))"\nread -r x || true; echo "[$x]"\n', Duration.ofSeconds(20)).stdout() == '42\n[]\n'
    }

    def "an argument with #what arrives unchanged"() {
        when:
        def result = pool.shell(host.target()).exec('printf "%s" ' + ShellQuote.quote(value), null, Duration.ofSeconds(20))

        then:
        result.ok()
        result.stdout() == value

        where:
        what             | value
        'spaces'         | 'a  b   c '
        'single quotes'  | "it's 'quoted'"
        'double quotes'  | 'say "hi"'
        'a substitution' | '$(touch /tmp/katapult-pwned) `id` $HOME'
        'a semicolon'    | 'a; rm -rf ~; b'
        'newlines'       | 'line 1\nline 2\n\n'
        'backslashes'    | 'a\\b\\\\c\\n'
        'everything'     | "'\"\$(x);\n\\ \t&|<>*?[]{}!#~"
    }

    def "put is atomic (temporary name, then rename) and get copies back; the parent folders are made"() {
        given:
        def local = Files.writeString(dir.resolve('up.txt'), 'payload\n')

        when:
        def shell = pool.shell(host.target())
        shell.put(local, 'a/b/c.txt')
        shell.put(Files.writeString(dir.resolve('up2.txt'), 'second\n'), 'a/b/c.txt')
        shell.get('a/b/c.txt', dir.resolve('down/c.txt'))

        then:
        Files.readString(host.home.resolve('a/b/c.txt')) == 'second\n'
        Files.readString(dir.resolve('down/c.txt')) == 'second\n'
        Files.list(host.home.resolve('a/b')).toList()*.fileName*.toString() == ['c.txt']
    }

    def "a missing remote file is a NoSuchFileException"() {
        when:
        pool.shell(host.target()).get('nothing/here.txt', dir.resolve('x.txt'))

        then:
        def e = thrown(NoSuchFileException)
        e.message.contains('nothing/here.txt')
    }

    def "one connection serves many commands and transfers, shells open and close cheaply"() {
        given:
        def before = host.sessions.get()
        def local = Files.writeString(dir.resolve('many.txt'), 'x')

        when:
        50.times { i ->
            def shell = pool.shell(host.target())
            try {
                assert shell.exec("echo $i").stdout() == "$i\n"
                shell.put(local, "many/$i")
            } finally {
                shell.close()
            }
        }

        then:
        pool.connectionsOpened() == 1
        host.sessions.get() - before == 1
        pool.commandsRun() == 50
    }

    def "many threads share the connection"() {
        when:
        def results = (1..24).collect { i -> Thread.start { assert pool.shell(host.target()).exec("sleep 0.1; echo $i").stdout() == "$i\n" } }
        results*.join()

        then:
        pool.connectionsOpened() == 1
    }

    def "uploads the host already has are not sent again"() {
        given:
        def layout = new RemoteLayout('uploads')
        def files = (1..5).collectEntries { i ->
            def f = Files.writeString(dir.resolve("file$i"), "content $i")
            [(katapult.util.Hashes.ofFile(f)): f]
        }
        def counting = new CountingShell(pool.shell(host.target()))

        when:
        def first = Uploads.send(counting, layout, files)
        def putsAfterFirst = counting.puts
        def second = Uploads.send(counting, layout, files)

        then:
        first == 5
        putsAfterFirst == 5
        second == 0
        counting.puts == 5
        counting.execs == 3 // a listing each time, and once the files sent are made read-only
    }

    def "many files go in one stream: one command, each file whole under its name, no receiving folder left"() {
        given:
        def files = (1..300).collectEntries { i ->
            def f = dir.resolve("many-$i")
            Files.write(f, ("line $i\n" * i).bytes)
            [("f$i".toString()): f]
        }
        def big = Files.write(dir.resolve('big'), new byte[3 << 20].tap { new Random(7).nextBytes(it) })
        files['big.bin'] = big
        def shell = pool.shell(host.target())
        def execsBefore = pool.commandsRun()
        def meter = new katapult.util.TransferMeter('upload', { })

        when:
        shell.putAll(files, 'store/many', meter)

        then:
        pool.commandsRun() - execsBefore == 1
        files.every { name, local -> Files.readAllBytes(host.home.resolve("store/many/$name")) == Files.readAllBytes(local) }
        Files.list(host.home.resolve('store/many')).count() == 301
        meter.bytes() == files.values().sum { Files.size(it) }
    }

    def "a name that is not a plain file name is refused before anything is sent"() {
        given:
        def f = Files.writeString(dir.resolve('n.txt'), 'n')
        def shell = pool.shell(host.target())
        def execsBefore = pool.commandsRun()

        when:
        shell.putAll([(name): f], 'store/names', new katapult.util.TransferMeter('upload', { }))

        then:
        thrown(IllegalArgumentException)
        pool.commandsRun() == execsBefore

        where:
        name << ['../up', 'a/b', '.hidden', '']
    }

    def "a local file that cannot be read fails naming it, and nothing of the batch lands"() {
        given:
        def good = Files.writeString(dir.resolve('good.txt'), 'good')
        def shell = pool.shell(host.target())

        when:
        shell.putAll(['good': good, 'gone': dir.resolve('no-such-file')], 'store/partial',
                new katapult.util.TransferMeter('upload', { }))

        then:
        def e = thrown(IOException)
        e.message.contains('no-such-file')
        !Files.exists(host.home.resolve('store/partial/good'))
        !Files.exists(host.home.resolve('store/partial/gone'))
    }

    def "a folder that cannot be written is an error in the host's words"() {
        given:
        def f = Files.writeString(dir.resolve('w.txt'), 'w')
        Files.writeString(host.home.resolve('blocker'), 'a file where a folder is needed')
        def shell = pool.shell(host.target())

        when:
        shell.putAll(['w': f], 'blocker/store', new katapult.util.TransferMeter('upload', { }))

        then:
        def e = thrown(IOException)
        e.message.contains('sending 1 file(s) to blocker/store')
    }

    def "a command that outlives its timeout is reported"() {
        when:
        pool.shell(host.target()).exec('sleep 5', null, Duration.ofMillis(500))

        then:
        def e = thrown(IOException)
        e.message.contains('timed out')
    }

    def "an unreachable host is a clear message naming it and the cause"() {
        given:
        def target = new SshTarget('me', '127.0.0.1', freePort(), hosts.clientKey)

        when:
        pool.shell(target).exec('true')

        then:
        def e = thrown(SshConnections.UnreachableHostException)
        e.message == "cannot reach me@127.0.0.1:${target.port()}: connection refused"
    }

    static int freePort() {
        new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
    }

    /** A shell that counts what goes through it. */
    static class CountingShell implements Shell {
        @Delegate(excludes = ['exec', 'put', 'putAll'])
        final Shell inner
        int puts
        int execs

        CountingShell(Shell inner) { this.inner = inner }

        ExecResult exec(String command, String stdin, Duration timeout) {
            execs++
            inner.exec(command, stdin, timeout)
        }

        void put(Path local, String remote) {
            puts++
            inner.put(local, remote)
        }

        void putAll(Map<String, Path> files, String folder, katapult.util.TransferMeter meter) {
            puts += files.size()
            inner.putAll(files, folder, meter)
        }
    }

    static class BashVersion {
        static String major() {
            new ProcessBuilder('bash', '-c', 'echo ${BASH_VERSION%%.*}').start().inputStream.text.strip()
        }
    }
}
