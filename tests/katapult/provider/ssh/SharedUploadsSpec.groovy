package katapult.provider.ssh

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong

import katapult.LeftoverProcesses
import katapult.session.Session
import katapult.state.RunState
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * Uploads are shared by the runs of an instance, not copied into each (mutualize_uploads true): read-only links to
 * the stored file, which no run can change; with mutualize_uploads false each run has its own writable copy. Once a
 * run's results are fetched, its work folder keeps only its outputs.
 */
@Timeout(300)
@Tag('e2e')
class SharedUploadsSpec extends Specification {

    static final long MB = 1_000_000L

    @TempDir
    Path ws

    @AutoCleanup
    SshTestHosts hosts

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    /** A file of {@code bytes} bytes that no file system stores as holes (du must count it whole). */
    Path bigFile(String name, long bytes) {
        Path file = ws.resolve(name)
        byte[] block = new byte[1 << 20]
        new Random(7).nextBytes(block)
        Files.newOutputStream(file).withCloseable { out ->
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(left, block.length))
            }
        }
        file
    }

    static String sha256(Path file) {
        def md = MessageDigest.getInstance('SHA-256')
        Files.newInputStream(file).withCloseable { input ->
            byte[] buf = new byte[1 << 16]
            for (int n; (n = input.read(buf)) > 0;) {
                md.update(buf, 0, n)
            }
        }
        md.digest().encodeHex().toString()
    }

    /** Bytes used under {@code dir} (a file with several links counted once). */
    static long du(Path dir) {
        if (!Files.exists(dir)) {
            return 0
        }
        def p = ['du', '-s', '--block-size=1', dir.toString()].execute()
        p.waitFor()
        p.text.split(/\s/)[0] as long
    }

    Session open(Path file) {
        Session.open(ws, file, { })
    }

    def "a 100 MB upload used by 10 runs is stored once; every run reads it, and a run that appends to it fails"() {
        given:
        def host = hosts.start()
        Path big = bigFile('big.bin', 100 * MB)
        String want = sha256(big)
        def file = Files.writeString(ws.resolve('shared.groovy'), """
        katapult {
            project 'shared'
            provider 'ssh'
            ${hosts.instanceBlock(host, 'h', 4)}
            job {
                name 'read'
                runCommand 'sha256sum big.bin > sum.txt; stat -c %h big.bin > links.txt; sleep 1.5'
                uploadFiles '${big}'
                outputFiles 'sum.txt', 'links.txt'
                repeat 10
            }
            job {
                name 'append'
                runCommand 'sleep 0.5; echo more >> big.bin'
                uploadFiles '${big}'
            }
        }
        """)
        Path project = host.home.resolve('.katapult/shared')
        def most = new AtomicLong()
        boolean sampling = true
        def sampler = Thread.start {
            while (sampling) {
                most.accumulateAndGet(du(project), Math::max)
                sleep 100
            }
        }

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(240))
        def runs = session.runs()
        session.close()
        sampling = false
        sampler.join()

        then: 'every read run read the upload as it was sent'
        finished
        runs.findAll { it.run().job() == 'read' }.every { it.state() == RunState.DONE }
        (1..10).every { Files.readString(ws.resolve("results/shared/read/$it/sum.txt")).startsWith(want + ' ') }

        and: 'each saw a link to the stored file, not a copy'
        (1..10).every { (Files.readString(ws.resolve("results/shared/read/$it/links.txt")).trim() as int) >= 2 }

        and: 'the run that wrote to it failed, and changed nothing'
        runs.find { it.run().job() == 'append' }.state() == RunState.ABORTED
        Files.list(project.resolve('files')).withCloseable { it.toList() }.collect { sha256(it) } == [want]

        and: 'the project folder never held the upload twice'
        most.get() > 0
        most.get() < 2 * 100 * MB
        du(project) < 2 * 100 * MB
    }

    def "with mutualize_uploads false every run writes to its own copy"() {
        given:
        def host = hosts.start()
        Path small = Files.writeString(ws.resolve('data.txt'), 'shared data\n')
        String stored = sha256(small)
        def file = Files.writeString(ws.resolve('private.groovy'), """
        katapult {
            project 'private'
            provider 'ssh'
            mutualizeUploads false
            ${hosts.instanceBlock(host, 'h', 3)}
            job {
                name 'w'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> data.txt; cat data.txt > seen.txt; stat -c %h data.txt > links.txt'
                uploadFiles '${small}'
                outputFiles 'seen.txt', 'links.txt'
                repeat 3
            }
        }
        """)

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(120))
        def runs = session.runs()
        session.close()

        then: 'each run saw the upload and its own line only'
        finished
        runs.every { it.state() == RunState.DONE }
        (1..3).every {
            def seen = Files.readString(ws.resolve("results/private/w/$it/seen.txt")).readLines()
            seen.size() == 2 && seen[0] == 'shared data'
        }
        (1..3).every { Files.readString(ws.resolve("results/private/w/$it/links.txt")).trim() == '1' }

        and: 'the stored upload is unchanged'
        sha256(host.home.resolve(".katapult/private/files/$stored")) == stored
    }

    def "once fetched, a run keeps its logs and outputs only"() {
        given:
        def host = hosts.start()
        Path data = Files.writeString(ws.resolve('in.csv'), 'a,b\n')
        def file = Files.writeString(ws.resolve('tidy.groovy'), """
        katapult {
            project 'tidy'
            provider 'ssh'
            ${hosts.instanceBlock(host, 'h', 2)}
            job {
                name 't'
                runCommand 'mkdir -p scratch sub && echo tmp > scratch/x && cat in.csv > sub/out.csv && echo log'
                inputFiles '${data}'
                outputFiles 'sub/out.csv'
            }
        }
        """)

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(120))
        def runs = session.runs()
        session.close()
        Path runDir = Files.list(host.home.resolve('.katapult/tidy/instances/h/runs')).withCloseable { it.toList() }.first()
        def left = Files.walk(runDir.resolve('work')).withCloseable { s ->
            s.filter { Files.isRegularFile(it) }.map { runDir.resolve('work').relativize(it).toString() }.toList()
        }

        then:
        finished
        runs*.state() == [RunState.DONE]
        Files.readString(ws.resolve('results/tidy/t/1/sub/out.csv')) == 'a,b\n'
        left == ['sub/out.csv']
        Files.readString(runDir.resolve('state')).trim() == 'DONE'
        Files.readString(runDir.resolve('out.log')) == 'log\n'
        Files.exists(runDir.resolve('fetched'))
    }
}
