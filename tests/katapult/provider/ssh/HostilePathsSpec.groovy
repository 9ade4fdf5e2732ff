package katapult.provider.ssh

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import katapult.LeftoverProcesses
import katapult.remote.RemoteLayout
import katapult.session.Event
import katapult.session.Session
import katapult.state.RunRecord
import katapult.state.RunState
import katapult.transport.ExecResult
import katapult.transport.SafePaths
import katapult.transport.Shell
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** Paths that come from a host are hostile until checked: nothing fetched lands outside the results folder. */
@Timeout(120)
@Tag('e2e')
class HostilePathsSpec extends Specification {

    @TempDir
    Path ws

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    @AutoCleanup
    SshTestHosts hosts

    List<Event> events = new CopyOnWriteArrayList<>()

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
    }

    /** A ustar archive holding {@code files} (name → content), names written as given. */
    static byte[] tarOf(Map<String, String> files) {
        def out = new ByteArrayOutputStream()
        files.each { name, content ->
            byte[] data = content.getBytes('UTF-8')
            byte[] h = new byte[512]
            def put = { int off, int len, String v ->
                byte[] b = v.getBytes('UTF-8')
                System.arraycopy(b, 0, h, off, Math.min(b.length, len))
            }
            put(0, 100, name)
            put(100, 8, '0000644\0')
            put(108, 8, '0000000\0')
            put(116, 8, '0000000\0')
            put(124, 12, String.format('%011o\0', data.length))
            put(136, 12, '00000000000\0')
            h[156] = (byte) ('0' as char)
            put(257, 6, 'ustar\0')
            put(263, 2, '00')
            (148..<156).each { h[it] = (byte) 32 }
            long sum = 0
            h.each { sum += (it & 0xff) }
            put(148, 8, String.format('%06o\0 ', sum))
            out.write(h)
            out.write(data)
            out.write(new byte[(512 - data.length % 512) % 512])
        }
        out.write(new byte[1024])
        out.toByteArray()
    }

    def "a host whose tar names #hostile gets it refused, by name, and nothing lands outside the results"() {
        given: 'a host whose tar is a stand-in writing a hostile archive'
        def host = hosts.start()
        def bin = Files.createDirectories(host.dir.resolve('bin'))
        Files.writeString(bin.resolve('tar'), '''#!/bin/bash
cat >/dev/null
cat "$HOME/hostile.tar"
''')
        bin.resolve('tar').toFile().setExecutable(true)
        host.pathPrefix = bin
        Files.write(host.home.resolve('hostile.tar'), tarOf([(hostile): 'owned\n']))
        def file = Files.writeString(ws.resolve('hostile.groovy'), """
        katapult {
            project 'hostile'
            provider 'ssh'
            ${hosts.instanceBlock(host, 'h', 2)}
            job { name 'w'; runCommand 'echo fine > out.txt'; outputFiles 'out.txt'; repeat 2 }
        }
        """)

        when:
        def session = Session.open(ws, file, { events << it })
        def finished = session.runAll(Duration.ofSeconds(6))
        session.close()

        then:
        !finished
        events.any { it instanceof Event.Warning && it.message().contains("refusing remote path '$hostile'") }
        !Files.exists(ws.resolve('results/hostile').resolve(hostile).normalize())
        !Files.exists(Path.of(hostile).normalize())
        Files.walk(ws).noneMatch { Files.isRegularFile(it) && it.fileName.toString() != 'hostile.tar' && Files.readString(it) == 'owned\n' }

        where:
        hostile << ['../../../evil.txt', "/tmp/katapult-evil-${System.nanoTime()}.txt".toString(), 'not-a-run/out.log']
    }

    def "names inside a run's folder that climb out or are not declared outputs are refused"() {
        given:
        def run = new RunRecord('uid1', 'job', 1, 1, 'h', RunState.DONE, 0, 1L, 2L, null, true, false)
        def fetcher = new katapult.session.Fetcher(ws.resolve('results/p'))
        def archive = tarOf([("${run.rid()}/out.log".toString()): 'log\n', (name): 'owned\n'])
        def shell = [exec: { String c, String i, Duration t -> new ExecResult(0, '', '') },
                     execReading: { String c, String i, Duration t, Shell.OutputReader reader ->
                         reader.read(new SequenceInputStream(new ByteArrayInputStream('tar\n'.bytes), new ByteArrayInputStream(archive)))
                         new ExecResult(0, '', '')
                     },
                     get : { String remote, Path local -> Files.write(local, archive) },
                     put : { Path l, String r -> }, describe: { 'evil-host' }, close: { }] as Shell

        when:
        fetcher.fetchBatch(shell, new RemoteLayout('p').on('h'), [new katapult.session.Fetcher.Item(run, ['out.txt'])], { })

        then:
        def e = thrown(SafePaths.UnsafePathException)
        e.message.contains("refusing remote path '")
        e.message.contains(message)
        Files.walk(ws).noneMatch { Files.isRegularFile(it) && Files.readString(it) == 'owned\n' }

        where:
        name                                    || message
        'uid1.1/work/../../../../../evil.txt'   || '../../../../../evil.txt'
        'uid1.1/work/other.txt'                 || 'uid1.1/work/other.txt'
        'uid1.1/../../evil.txt'                 || '../../evil.txt'
        'uid1.1/work//etc/passwd'               || '/etc/passwd'
    }
}
