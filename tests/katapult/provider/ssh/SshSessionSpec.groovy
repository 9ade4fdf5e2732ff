package katapult.provider.ssh

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

import katapult.LeftoverProcesses
import katapult.session.Event
import katapult.session.Session
import katapult.state.InstanceState
import katapult.state.RunState
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** The whole session over SSH, against embedded SSH servers on loopback addresses, each with its own HOME. */
@Timeout(180)
@Tag('e2e')
class SshSessionSpec extends Specification {

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

    Path counter() {
        ws.resolve('counter.txt')
    }

    List<String> executions() {
        Files.exists(counter()) ? Files.readAllLines(counter()) : []
    }

    Session open(Path file) {
        Session.open(ws, file, { events << it })
    }

    Path config(String name, String body) {
        Files.writeString(ws.resolve(name), body)
    }

    String countingJob(String name, int repeat, double seconds, String extra = '') {
        """
        job {
            name '$name'
            runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep $seconds; echo "$name \$KATAPULT_RUN_ID on \$HOME" > out.txt; echo \\'it\\'\\'s "quoted" \$(x) ; y\\' > args.txt'
            outputFiles 'out.txt', 'args.txt'
            repeat $repeat
            $extra
        }
        """
    }

    def "a config runs to the end on three SSH hosts, over one connection per host"() {
        given:
        def three = hosts.start(3)
        def file = config('three.groovy', """
        katapult {
            project 'three'
            provider 'ssh'
            ${hosts.instanceBlock(three[0], 'a')}
            ${hosts.instanceBlock(three[1], 'b', 2)}
            ${hosts.instanceBlock(three[2], 'c', 2)}
            ${countingJob('work', 9, 0.3)}
        }
        """)
        def before = three.collect { it.sessions.get() }

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(120))
        def instances = session.status().instances()
        def runs = session.runs()
        session.close()

        then:
        finished
        runs.every { it.state() == RunState.DONE }
        executions().size() == 9
        executions().toSet().size() == 9
        runs*.run()*.instance().toSet() == ['a', 'b', 'c'] as Set
        (1..9).every {
            Files.readString(ws.resolve("results/three/work/$it/out.txt")).startsWith("work ") &&
                    Files.readString(ws.resolve("results/three/work/$it/args.txt")) == 'its "quoted" $(x) ; y\n'
        }

        and: 'runs ran in each host own home'
        runs.every { r ->
            def host = three[['a', 'b', 'c'].indexOf(r.run().instance())]
            Files.readString(ws.resolve("results/three/work/${r.run().repeat()}/out.txt")).contains(host.home.toString())
        }

        and: 'an entry without cpus got the host nproc'
        instances.find { it.name() == 'a' }.cpus() == Runtime.runtime.availableProcessors()
        instances.find { it.name() == 'b' }.cpus() == 2
        instances.every { it.handle() == "${System.getProperty('user.name')}@${three[['a', 'b', 'c'].indexOf(it.name())].address}:${three[['a', 'b', 'c'].indexOf(it.name())].port}" }

        and: 'one SSH connection per host for the whole session'
        three.withIndex().every { h, i -> h.sessions.get() - before[i] == 1 }

        and: 'the poll count is reported'
        events.any { it instanceof Event.Step && it.message() ==~ /every run finished; \d+ poll round trip\(s\) to 3 instance\(s\)/ }
    }

    def "a host whose SSH server dies mid-run shows UNKNOWN runs that keep running, and finishes once it is back"() {
        given:
        def host = hosts.start()
        def file = config('fault.groovy', """
        katapult {
            project 'fault'
            provider 'ssh'
            ${hosts.instanceBlock(host, 'h', 2)}
            ${countingJob('slow', 2, 4)}
        }
        """)
        def unknownSeen = false
        def doneWhileDown = false
        def saboteur = Thread.start {
            while (executions().size() < 2) {
                sleep 50
            }
            host.stop()
            def deadline = System.currentTimeMillis() + 30_000
            while (!events.any { it instanceof Event.RunChanged && it.run().state() == RunState.UNKNOWN }
                    && System.currentTimeMillis() < deadline) {
                sleep 50
            }
            unknownSeen = events.any { it instanceof Event.RunChanged && it.run().state() == RunState.UNKNOWN }
            // the runs keep going on the host without any SSH server
            while (!Files.exists(host.home.resolve('.katapult/fault/instances/h/runs').toFile().listFiles()?.find { true }?.toPath()?.resolve('exit') ?: host.home.resolve('none'))
                    && System.currentTimeMillis() < deadline) {
                sleep 100
            }
            doneWhileDown = !host.running
            host.start()
        }

        when:
        def session = open(file)
        def finished = session.runAll(Duration.ofSeconds(90))
        saboteur.join()
        def runs = session.runs()
        session.close()

        then:
        finished
        unknownSeen
        doneWhileDown
        runs.every { it.state() == RunState.DONE }
        executions().size() == 2
        executions().toSet().size() == 2
        (1..2).every { Files.exists(ws.resolve("results/fault/slow/$it/out.txt")) }
        events.any { it instanceof Event.Warning && it.message().contains('cannot reach h') && it.message().contains('UNKNOWN') }
        events.any { it instanceof Event.Step && it.message() == 'h answers again' }
    }

    def "a host whose key changed is refused and reported once, while the other host's runs finish and are all fetched"() {
        given: 'runs sent to two hosts by a first session'
        def two = hosts.start(2)
        def file = config('mitm.groovy', """
        katapult {
            project 'mitm'
            provider 'ssh'
            ${hosts.instanceBlock(two[0], 'a', 2)}
            ${hosts.instanceBlock(two[1], 'b', 2)}
            ${countingJob('work', 4, 1)}
        }
        """)
        def first = open(file)
        first.start()
        first.deploy()
        first.submit()
        def placed = first.runs().groupBy { it.run().instance() }
        first.close()
        def pinned = Files.readAllLines(ws.resolve('.katapult/mitm/known_hosts'))

        and: 'b now answers with another key (someone in the middle)'
        two[1].stop()
        two[1].newHostKey()
        two[1].start()

        when: 'the session goes on'
        def second = open(file)
        def finished = second.runAll(Duration.ofSeconds(8))
        def runs = second.runs()
        second.close()

        then: "a's runs are done and fetched"
        !finished
        placed.keySet() == ['a', 'b'] as Set
        runs.findAll { it.run().instance() == 'a' }.every { it.state() == RunState.DONE }
        placed['a'].every { Files.exists(ws.resolve("results/mitm/work/${it.run().repeat()}/out.txt")) }

        and: "b's runs are not finished nor fetched, b is told once with the reason, and its new key is not pinned"
        runs.findAll { it.run().instance() == 'b' }.every { !it.state().finished() }
        placed['b'].every { !Files.exists(ws.resolve("results/mitm/work/${it.run().repeat()}/out.txt")) }
        def told = events.findAll { it instanceof Event.Warning && it.message().contains('CHANGED') }
        told.size() == 1
        told[0].message().startsWith('b')
        told[0].message().contains("host key of [${two[1].address}]:${two[1].port} has CHANGED")
        Files.readAllLines(ws.resolve('.katapult/mitm/known_hosts')) == pinned
    }

    def "an unreachable host at start is a clear message naming it and the cause"() {
        given:
        def port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
        def file = config('nohost.groovy', """
        katapult {
            project 'nohost'
            provider 'ssh'
            instance { name 'gone'; host '127.0.0.1'; port $port; key '${hosts.clientKey}' }
            ${countingJob('w', 1, 0)}
        }
        """)

        when:
        open(file).withCloseable { it.runAll(Duration.ofSeconds(20)) }

        then:
        def e = thrown(katapult.session.SessionException)
        e.message.contains('gone')
        e.message.contains("cannot reach ${System.getProperty('user.name')}@127.0.0.1:$port: connection refused")
    }

    def "down --purge removes the project folder on the host, and only it"() {
        given:
        def host = hosts.start()
        Files.writeString(host.home.resolve('keep.txt'), 'mine')
        def file = config('purge.groovy', """
        katapult {
            project 'purge'
            provider 'ssh'
            ${hosts.instanceBlock(host, 'h', 1)}
            ${countingJob('w', 1, 0)}
        }
        """)

        when:
        def session = open(file)
        session.runAll(Duration.ofSeconds(60))
        def hadRoot = Files.isDirectory(host.home.resolve('.katapult/purge'))
        session.down(true, false)
        session.close()

        then:
        hadRoot
        !Files.exists(host.home.resolve('.katapult/purge'))
        Files.readString(host.home.resolve('keep.txt')) == 'mine'
        Files.exists(ws.resolve('results/purge/w/1/out.txt'))
    }

    def "auto_stop on a host stops its agent, never the host; a job submitted afterwards starts the agent again"() {
        given:
        def host = hosts.start()
        def file = config('again.groovy', """
        katapult {
            project 'again'
            provider 'ssh'
            ${hosts.instanceBlock(host, 'h', 1)}
            ${countingJob('w', 1, 0)}
        }
        """)
        def session = open(file)

        when:
        def first = session.runAll(Duration.ofSeconds(60))

        then:
        first
        session.status().instances()*.state() == [InstanceState.STOPPED]

        when:
        def job = session.submit(name: 'late', run_command: 'echo l > l.txt', output_files: 'l.txt')
        def finished = session.awaitAll()

        then: 'the job ran on the host, and the end of the work stopped the agent again'
        finished
        Files.readString(job.output('l.txt')) == 'l\n'
        session.status().instances()*.state() == [InstanceState.STOPPED]
        events.count { it instanceof Event.Step && it.message().startsWith('auto_stop: every run is finished and fetched, stopping h') } == 2

        cleanup:
        session?.close()
    }
}
