package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.session.Event
import katapult.session.Session
import katapult.session.SessionException
import katapult.state.RunState
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The aws provider over real SSH: each fake EC2 instance, once running, is an embedded MINA SSHD test host on its
 * own loopback address (all on one port: the config's ssh_port), reached through the SSH transport with the
 * project's key pair.
 */
@Timeout(180)
@Tag('e2e')
class AwsSshSpec extends Specification {

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    @AutoCleanup
    SshTestHosts hosts

    Map<String, SshTestHosts.Host> machines = new ConcurrentHashMap<>()
    int port
    List<Event> events = new CopyOnWriteArrayList<>()   // read while the session thread adds

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
        port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
        // the project's key is the test hosts' client key: what the fake's key pair imports and the hosts accept
        Path keys = Files.createDirectories(ws.resolve('home/keys'))
        Files.copy(hosts.clientKey, keys.resolve('cloud'))
        Files.copy(Path.of(hosts.clientKey.toString() + '.pub'), keys.resolve('cloud.pub'))
        Files.setPosixFilePermissions(keys.resolve('cloud'), PosixFilePermissions.fromString('rw-------'))
        fake.onLaunch = { FakeEc2.FakeInstance i ->
            def host = hosts.start()
            host.stop()
            host.port = port
            machines[i.id] = host
            i.publicIp = host.address
            i.console = console(announced ?: host.hostKeyFingerprint())
        }
        fake.onState = { String id, String state ->
            def host = machines[id]
            if (state == 'running' && !host.running) {
                host.start()
            } else if (state != 'running') {
                host.stop()
                FakeHosts.killProcesses(host.home)      // the machine is down: so are its processes
                if (state == 'terminated') {
                    host.home.toFile().deleteDir()
                }
            }
        }
        AwsTestSupport.useFakeAws(ws, ws.resolve('home'))
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    /** The fingerprint the instances' consoles show; null: their real one. */
    String announced

    static String console(String fingerprint) {
        "cloud-init\n-----BEGIN SSH HOST KEY FINGERPRINTS-----\n521 $fingerprint root@host (ECDSA)\n" +
                '-----END SSH HOST KEY FINGERPRINTS-----\n'
    }

    /** {@code then}: a command run after each run's output is written. */
    Path config(String sleep = '0.2', String extra = '', String then = 'true') {
        Files.writeString(ws.resolve('cfg.groovy'), """
            katapult {
                project 'cloud'
                provider 'aws'
                autoStop false
                instance {
                    name 'w'; number 2; type 't3.micro'
                    region 'us-east-1'; endpoint '${fake.endpoint}'
                    sshPort ${port}; sshCidr '127.0.0.0/8'; imgUsername '${System.getProperty('user.name')}'
                    ${extra}
                }
                job {
                    name 'sq'
                    runCommand 'sleep ${sleep}; echo "done \$KATAPULT_RUN_ID on \$(hostname)" > out.txt; ${then}'
                    outputFiles 'out.txt'
                    repeat 4
                }
            }""")
    }

    def "a full run on 2 instances over SSH: every run DONE and fetched; down leaves nothing tagged"() {
        given:
        def session = Session.open(ws, config(), { events << it })

        when:
        boolean finished = session.runAll(Duration.ofSeconds(90))

        then:
        finished
        session.runs().every { it.state() == RunState.DONE }
        (1..4).every { Files.exists(session.resultsFolder().resolve("sq/$it/out.txt")) }
        fake.live().size() == 2
        machines.values().every { it.sessions.get() > 0 }
        Files.readString(ws.resolve('.katapult/cloud/known_hosts')).readLines().findAll { it.trim() }.size() == 2
        fake.securityGroups.values()[0].ingress == [[protocol: 'tcp', from: port, to: port, cidr: '127.0.0.0/8']]

        when:
        session.down()

        then:
        fake.live().isEmpty()
        fake.tagged('cloud').isEmpty()

        cleanup:
        session?.close()
    }

    def "an instance whose host key is not the one its console shows is refused, and nothing is pinned"() {
        given:
        announced = 'SHA256:' + 'x' * 43
        def session = Session.open(ws, config(), { events << it })

        when:
        session.runAll(Duration.ofSeconds(30))

        then:
        def e = thrown(SessionException)
        e.message.contains('w-1: host key of ')
        e.message.contains("is not one the host announced (SHA256:${'x' * 43})")
        e.message.contains('w-2: host key of ')
        def knownHosts = ws.resolve('.katapult/cloud/known_hosts')
        !Files.exists(knownHosts) || Files.readString(knownHosts).isBlank()
        session.runs().every { !it.run().submitted() }

        cleanup:
        session?.close()
    }

    /** Runs the session in a thread; returns once some run is RUNNING on an instance. */
    Map runInBackground(Session session) {
        AwsTestSupport.runInBackground(session, events, Duration.ofSeconds(120), Duration.ofSeconds(60))
    }

    def "an instance #what mid-run over SSH is #outcome, and the results are complete"() {
        given:
        def session = Session.open(ws, config('1.5', extra), { events << it })
        def background = runInBackground(session)
        String victim = fake.live()[0].id

        when:
        fake."$fault"(victim)
        background.thread.join()

        then:
        background.error == null
        background.finished
        session.runs().every { it.state() == RunState.DONE }
        (1..4).every { Files.exists(session.resultsFolder().resolve("sq/$it/out.txt")) }
        fake.live().size() == 2
        session.status().instances()*.generation.sort() == generations

        cleanup:
        session?.close()

        where:
        what                | outcome            | generations | fault                  | extra
        'stopped'           | 'started again'    | [1, 1]      | 'stopFromOutside'      | ''
        'terminated'        | 'replaced'         | [1, 2]      | 'terminateFromOutside' | ''
        'spot-interrupted'  | 'replaced'         | [1, 2]      | 'interruptSpot'        | 'eco true'
    }

    def "an instance terminated mid-run and replaced at the same address with a new host key: the replacement is checked against its own console, every run executed once, every result fetched"() {
        given: 'runs that count their completions outside the instances'
        Path counter = ws.resolve('counter.txt')
        def session = Session.open(ws, config('1.5', '', "echo \$KATAPULT_RUN_ID >> ${counter}"), { events << it })

        and: 'EC2 gives the replacement the address the lost instance had'
        def makeHost = fake.onLaunch
        String reused = null
        fake.onLaunch = { FakeEc2.FakeInstance i ->
            if (reused == null) {
                makeHost(i)
                return
            }
            machines.values().findAll { it.address == reused }.each { it.stop(); FakeHosts.killProcesses(it.home) }
            def host = new SshTestHosts.Host(hosts, 'replacement', reused, ws.resolve('hosts/replacement'))
            hosts.hosts << host
            host.port = port
            machines[i.id] = host
            i.publicIp = reused
            i.console = console(host.hostKeyFingerprint())
        }
        def background = runInBackground(session)
        String victim = fake.live()[0].id
        String victimKey = machines[victim].hostKeyFingerprint()

        when:
        reused = fake.instances[victim].publicIp
        fake.terminateFromOutside(victim)
        background.thread.join()

        then:
        background.error == null
        background.finished
        session.runs().every { it.state() == RunState.DONE }
        (1..4).every { Files.exists(session.resultsFolder().resolve("sq/$it/out.txt")) }
        Files.readAllLines(counter).collect { it.replaceAll(/\.\d+$/, '') }.sort() == session.runs()*.run()*.uid().sort()

        and: 'the replacement has the address and a new key'
        def replacement = fake.live().find { it.id != victim && it.publicIp == reused }
        replacement != null
        machines[replacement.id].hostKeyFingerprint() != victimKey
        session.status().instances()*.generation.sort() == [1, 2]

        and: 'the pins belong to the live instances: the lost one went with it'
        Files.readAllLines(ws.resolve('.katapult/cloud/known_hosts')).findAll { it.trim() }*.split(' ')*.getAt(0) as Set ==
                fake.live()*.id as Set
        !events.any { it instanceof Event.Warning && it.message().contains('CHANGED') }

        cleanup:
        session?.close()
    }

    Process katapult(String... args) {
        KatapultJvm.start(ws, args as List, AwsTestSupport.fakeAwsJvmOptions())
    }

    def "Katapult (a separate JVM) killed inside its second RunInstances and run again over SSH: still 2 instances"() {
        given:
        def file = config()
        def makeHost = fake.onLaunch
        Process first = null
        fake.invisibleMillis = 2000
        fake.onLaunch = { FakeEc2.FakeInstance i ->
            makeHost(i)
            if (fake.instances.size() == 2) {
                first.destroyForcibly()
                first.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)
            }
        }

        when: 'the first Katapult is killed with SIGKILL while EC2 makes its second instance'
        first = katapult('run', file.toString())
        first.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)

        and: 'it is run again'
        fake.onLaunch = makeHost
        def second = katapult('run', file.toString())
        boolean finished = second.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)

        then:
        finished
        second.exitValue() == 0
        fake.instances.size() == 2
        fake.live().size() == 2
        (1..4).every { Files.exists(ws.resolve("results/cloud/sq/$it/out.txt")) }
    }
}
