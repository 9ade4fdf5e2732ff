package katapult.faults

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

import katapult.LeftoverProcesses
import katapult.session.Event
import katapult.session.Session
import katapult.session.SessionException
import katapult.session.UnfetchedResultsException
import katapult.state.RunState
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The holes through which finished results were lost or read from where they should not be (issue 8, items 1, 3, 4
 * and 8), on the local provider. Each feature failed before its fix.
 */
@Timeout(240)
@Tag('e2e')
class ResultsSafetySpec extends Specification {

    @TempDir
    Path ws

    List<Event> events = [].asSynchronized()

    def cleanup() {
        LeftoverProcesses.kill(ws)
    }

    Path config(String name, String body) {
        Files.writeString(ws.resolve(name), body)
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it })
    }

    Path counter() { ws.resolve('counter.txt') }

    List<String> executions() { Files.exists(counter()) ? Files.readAllLines(counter()) : [] }

    /** A job that counts its executions, sleeps, and writes out.txt. */
    String countingJob(String name, int repeat, double sleep) {
        """job { name '$name'; repeat $repeat; outputFiles 'out.txt'
                 runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep $sleep; echo "$name \$KATAPULT_RUN_ID" > out.txt' }"""
    }

    /** The state files of every run on the project's local instances, whatever the remote layout. */
    List<String> remoteStates(String project) {
        def sandboxes = ws.resolve(".katapult/$project/local")
        Files.walk(sandboxes).withCloseable { s ->
            s.filter { it.fileName.toString() == 'state' && it.parent.parent.fileName.toString() == 'runs' }
                    .collect { Files.readString(it).trim() }
        }
    }

    void awaitRemote(String project, int count, String state) {
        long deadline = System.nanoTime() + 60_000_000_000L
        while (remoteStates(project).count { it == state } < count) {
            assert System.nanoTime() < deadline: "runs never reached $state on the instance: ${remoteStates(project)}"
            sleep(200)
        }
    }

    def "down fetches every finished run first; a later run executes none of them again"() {
        given: 'runs that finished on their instance after the session stopped waiting'
        def file = config('a.groovy', "katapult { project 'a'; autoStop false; instance { name 'box'; cpus 2 }\n${countingJob('slow', 4, 1.5)} }")
        def session = open(file)
        assert !session.runAll(Duration.ofMillis(300))
        awaitRemote('a', 4, 'DONE')

        when:
        session.down()
        session.close()

        then: 'every result is home, and down said it fetched them first'
        (1..4).every { Files.readString(ws.resolve("results/a/slow/$it/out.txt")).startsWith('slow ') }
        events.any { it instanceof Event.Step && it.message() == 'fetching 4 finished run(s) first' }

        when: 'the same config runs again'
        def again = open(file)
        def finished = again.runAll(Duration.ofSeconds(60))

        then: 'nothing is executed a second time, nothing is reset to WAIT'
        finished
        executions().size() == 4
        again.runs()*.run()*.state().every { it == RunState.DONE }

        cleanup:
        again?.close()
    }

    def "down refuses, removing nothing, when a finished run cannot be fetched; --discard-unfetched gives it up"() {
        given: 'finished runs on an instance that cannot send them (its fetch script is gone)'
        def file = config('b.groovy', "katapult { project 'b'; autoStop false; instance { name 'box'; cpus 2 }\n${countingJob('slow', 2, 1)} }")
        def session = open(file)
        assert !session.runAll(Duration.ofMillis(300))
        awaitRemote('b', 2, 'DONE')
        Files.walk(ws.resolve('.katapult/b/local')).withCloseable { s ->
            s.filter { it.fileName.toString() == 'fetch.sh' }.toList().each { Files.delete(it) }
        }

        when:
        session.down()

        then: 'the refusal names the runs and the way on; the instance is still there'
        def refused = thrown(UnfetchedResultsException)
        refused.runs().sort(false) == ['slow/1 on box (DONE)', 'slow/2 on box (DONE)']
        refused.message.contains('--discard-unfetched')
        refused.message.contains('Nothing was removed')
        session.status().instances().size() == 1

        when:
        session.down(false, true)
        session.close()
        def again = open(file)
        again.runAll(Duration.ofSeconds(60))

        then: 'given up runs are ABORTED saying why, and never executed again'
        again.runs()*.run().every { it.state() == RunState.ABORTED && it.reason().contains('discarded by `down --discard-unfetched`') }
        executions().size() == 2

        cleanup:
        again?.close()
    }

    def "an output past 8 GiB streams home beside normal ones; no tar file is written on the instance"() {
        given:
        def file = config('c.groovy', """katapult { project 'c'; instance { name 'box'; cpus 2 }
            job { name 'huge'; runCommand 'truncate -s 8G big.bin && printf end >> big.bin'; outputFiles 'big.bin' }
            job { name 'small'; runCommand 'echo small > s.txt'; outputFiles 's.txt'; repeat 2 } }""")

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(200))
        session.close()
        def big = ws.resolve('results/c/huge/1/big.bin')

        then:
        finished
        Files.size(big) == 8L * 1024 * 1024 * 1024 + 3
        new RandomAccessFile(big.toFile(), 'r').withCloseable { f -> f.seek(Files.size(big) - 3); def b = new byte[3]; f.readFully(b); new String(b) } == 'end'
        allocatedBytes(big) < 64L * 1024 * 1024
        Files.readString(ws.resolve('results/c/small/2/s.txt')) == 'small\n'
        Files.walk(ws.resolve('.katapult/c/local')).withCloseable { s -> s.noneMatch { it.fileName.toString().endsWith('.tar') } }
    }

    static long allocatedBytes(Path file) {
        def p = ['stat', '-c', '%b %B', file.toString()].execute()
        def (blocks, size) = p.text.trim().split(' ')*.toLong()
        blocks * size
    }

    def "an output that is a link leading out of the run's folder is refused, never read; a link inside is followed"() {
        given:
        def secret = Files.createDirectories(ws.resolve('secret'))
        Files.writeString(secret.resolve('passwd'), 'the secret\n')
        def file = config('d.groovy', """katapult { project 'd'; instance { name 'box'; cpus 2 }
            job { name 'file'; runCommand 'ln -s ${secret}/passwd out.txt'; outputFiles 'out.txt' }
            job { name 'folder'; runCommand 'ln -s ${secret} d'; outputFiles 'd/passwd' }
            job { name 'inside'; runCommand 'mkdir real && echo mine > real/o.txt && ln -s real/o.txt out.txt'; outputFiles 'out.txt' }
            job { name 'dir'; runCommand 'mkdir out.txt'; outputFiles 'out.txt' }
            job { name 'fifo'; runCommand 'mkfifo out.txt'; outputFiles 'out.txt' }
            job { name 'swapped'; runCommand 'cd .. && rm -rf work && ln -s ${secret} work'; outputFiles 'passwd' } }""")

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))
        def runs = session.runs()*.run().collectEntries { [(it.job()): it] }
        session.close()

        then:
        runs.file.state() == RunState.ABORTED
        runs.file.reason() == "output 'out.txt' is a link to ${secret.toRealPath()}/passwd, outside the run's folder (never read)"
        runs.folder.state() == RunState.ABORTED
        runs.folder.reason() == "output 'd/passwd' is a link to ${secret.toRealPath()}/passwd, outside the run's folder (never read)"
        runs.inside.state() == RunState.DONE
        Files.readString(ws.resolve('results/d/inside/1/out.txt')) == 'mine\n'
        runs.dir.reason() == "output 'out.txt' is a folder, not a file (write 'out.txt/' to fetch a folder)"
        runs.fifo.reason() == "output 'out.txt' is not a regular file (a FIFO, socket or device)"
        runs.swapped.reason() == "the run's work folder was removed or replaced by a link"
        Files.walk(ws.resolve('results')).withCloseable { s ->
            s.noneMatch { Files.isRegularFile(it) && Files.readString(it) == 'the secret\n' }
        }
    }

    def "results that cannot be stored here (a file where the results folder goes) stop the session after a few tries; the runs wait on their instance"() {
        given:
        def file = config('e.groovy', "katapult { project 'e'; autoStop false; instance { name 'box'; cpus 2 }\n${countingJob('w', 2, 0.1)} }")
        Files.createDirectories(ws.resolve('results'))
        Files.writeString(ws.resolve('results/e'), 'in the way\n')
        def session = open(file)

        when:
        session.runAll(Duration.ofSeconds(90))

        then:
        def e = thrown(SessionException)
        e.message.contains('is a file, where a folder is needed')
        e.message.contains('(5 tries)')
        events.count { it instanceof Event.Warning && it.message().startsWith('cannot store fetched results (try ') } == 4
        session.runs()*.run().every { it.state() == RunState.DONE && !it.fetched() }

        when: 'the way is cleared'
        Files.delete(ws.resolve('results/e'))
        session.fetchFinished(null)

        then:
        session.runs()*.run().every { it.fetched() }
        Files.readString(ws.resolve('results/e/w/1/out.txt')).startsWith('w ')
        executions().size() == 2

        cleanup:
        session?.close()
    }

    /** The runs on the project's local instances that the instance counts fetched (Katapult acknowledged them). */
    int remoteFetched(String project) {
        def sandboxes = ws.resolve(".katapult/$project/local")
        Files.walk(sandboxes).withCloseable { s ->
            s.filter { it.fileName.toString() == 'fetched' && it.parent.parent.fileName.toString() == 'runs' }.count()
        } as int
    }

    def "a batch streamed home that cannot be stored here is not acknowledged: the instance keeps counting it unfetched"() {
        given:
        def file = config('g.groovy', "katapult { project 'g'; autoStop false; instance { name 'box'; cpus 2 }\n${countingJob('w', 2, 0.1)} }")
        Files.createDirectories(ws.resolve('results'))
        Files.writeString(ws.resolve('results/g'), 'in the way\n')
        def session = open(file)

        when:
        session.runAll(Duration.ofSeconds(90))

        then: 'every run was streamed, none stored: the instance was told of none'
        thrown(SessionException)
        session.runs()*.run().every { it.state() == RunState.DONE && !it.fetched() }
        remoteFetched('g') == 0

        when: 'stored at last'
        Files.delete(ws.resolve('results/g'))
        session.fetchFinished(null)

        then: 'each run stored here is acknowledged on its instance'
        session.runs()*.run().every { it.fetched() }
        remoteFetched('g') == 2

        cleanup:
        session?.close()
    }

    @Requires({ ResultsSafetySpec.canMount() })
    def "a full disk here stops the session with the reason; once there is room, a fetch brings every result"() {
        given: 'a results folder on a 1 MiB file system, and outputs of 2 MiB'
        def results = Files.createDirectories(ws.resolve('results'))
        assert ['mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', results.toString()].execute().waitFor() == 0
        def file = config('f.groovy', """katapult { project 'f'; autoStop false; instance { name 'box'; cpus 2 }
            job { name 'big'; runCommand 'head -c 2097152 /dev/urandom > o.bin'; outputFiles 'o.bin'; repeat 2 } }""")
        def session = open(file)

        when:
        session.runAll(Duration.ofSeconds(90))

        then:
        def e = thrown(SessionException)
        e.message.contains('No space left on device')
        session.runs()*.run().every { it.state() == RunState.DONE && !it.fetched() }
        Files.walk(results).withCloseable { s -> s.noneMatch { it.fileName.toString().endsWith('.part') } }

        when:
        assert ['mount', '-o', 'remount,size=64m', results.toString()].execute().waitFor() == 0
        session.fetchFinished(null)

        then:
        session.runs()*.run().every { it.fetched() }
        Files.size(results.resolve('f/big/2/o.bin')) == 2097152

        cleanup:
        session?.close()
        ['umount', results.toString()].execute().waitFor()
    }

    /** Whether this machine lets a spec mount a small tmpfs (root, and a kernel that allows it). */
    static boolean canMount() {
        def dir = Files.createTempDirectory('katapult-mount')
        try {
            if (['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir.toString()].execute().waitFor() != 0) {
                return false
            }
            ['umount', dir.toString()].execute().waitFor()
            return true
        } catch (IOException e) {
            return false
        } finally {
            Files.deleteIfExists(dir)
        }
    }
}
