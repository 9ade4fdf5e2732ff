package katapult.faults

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.provider.aws.AwsTestSupport
import katapult.provider.aws.FakeEc2
import katapult.provider.aws.FakeHosts
import katapult.session.Event
import katapult.session.Session
import katapult.session.UnfetchedResultsException
import katapult.state.RunState
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The fault matrix on the aws provider (issue 8): the fake EC2 in this JVM, each instance an SSH test host on its
 * own loopback address, and the faults of a real cloud: Katapult killed with SIGKILL at each step of its life,
 * instances stopped, terminated or spot-interrupted mid-run (a replacement at the same address, with a new host
 * key), a throttling storm, {@code down} with results not fetched yet. Every scenario then checks: each run
 * completed once (runs append to a counter file outside the instances), every output home, no instance launched but
 * the planned ones and their replacements, and nothing tagged, no process and no instance disk left after down.
 */
@Timeout(240)
@Tag('e2e')
class AwsFaultMatrixSpec extends Specification {

    static final String PROJECT = 'afm'
    static final int RUNS = 4
    static final int PLANNED = 2
    /** How many answers in a row EC2 throttles, per call of a start: far more than any count of tries. */
    static final Map<String, Integer> STORM = [DescribeInstanceTypes: 40, DescribeImages: 20, DescribeSecurityGroups: 20,
                                               DescribeKeyPairs: 20, DescribeInstances: 40, DescribeSubnets: 20,
                                               RunInstances: 3]

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    @AutoCleanup
    SshTestHosts hosts

    Map<String, SshTestHosts.Host> machines = new ConcurrentHashMap<>()
    /** "id state" each time an instance reached stopped or terminated. */
    List<String> downs = new CopyOnWriteArrayList<>()
    List<Event> events = new CopyOnWriteArrayList<>()   // read while the session thread adds
    int port
    /** The address EC2 gives the next instance it launches: where a lost one was. */
    volatile String reuse
    /** A folder first on the PATH of the hosts launched from now on. */
    volatile Path hostPath
    long began

    def setup() {
        began = System.nanoTime()
        hosts = new SshTestHosts(ws.resolve('hosts'))
        port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
        // the project's key is the test hosts' client key: what the fake's key pair imports and the hosts accept
        Path keys = Files.createDirectories(ws.resolve('home/keys'))
        Files.copy(hosts.clientKey, keys.resolve(PROJECT))
        Files.copy(Path.of(hosts.clientKey.toString() + '.pub'), keys.resolve(PROJECT + '.pub'))
        Files.setPosixFilePermissions(keys.resolve(PROJECT), PosixFilePermissions.fromString('rw-------'))
        fake.onLaunch = { FakeEc2.FakeInstance i -> launched(i) }
        fake.onState = { String id, String state -> changed(id, state) }
        Files.createFile(gate())
        AwsTestSupport.useFakeAws(ws, ws.resolve('home'))
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    def cleanupSpec() {
        String table = FaultTable.render()
        println table
        Files.createDirectories(Path.of('target'))
        Files.writeString(Path.of('target', 'fault-matrix.txt'), table)
    }

    /** A new instance is a new SSH host, down until EC2 says running; at a reused address, with a new host key. */
    void launched(FakeEc2.FakeInstance i) {
        SshTestHosts.Host host
        String address = reuse
        if (address == null) {
            host = hosts.start()
            host.stop()
        } else {
            reuse = null
            machines.values().findAll { it.address == address }.each { it.stop(); FakeHosts.killProcesses(it.home) }
            host = new SshTestHosts.Host(hosts, "replacement-${i.id}", address, ws.resolve("hosts/replacement-${i.id}"))
            hosts.hosts << host
        }
        host.port = port
        host.pathPrefix = hostPath
        machines[i.id] = host
        i.publicIp = host.address
        i.console = "cloud-init\n-----BEGIN SSH HOST KEY FINGERPRINTS-----\n521 ${host.hostKeyFingerprint()} root@host (ECDSA)\n" +
                '-----END SSH HOST KEY FINGERPRINTS-----\n'
    }

    /** The machine follows its instance: sshd up while running; stopped, its processes die; terminated, its disk. */
    void changed(String id, String state) {
        def host = machines[id]
        if (state == 'running' && !host.running) {
            host.start()
        } else if (state != 'running') {
            host.stop()
            FakeHosts.killProcesses(host.home)
            if (state == 'terminated') {
                host.home.toFile().deleteDir()
            }
            downs << "$id $state".toString()
        }
    }

    Path gate() { ws.resolve('gate') }

    Path counter() { ws.resolve('completed.txt') }

    Path starts() { ws.resolve('started.txt') }

    List<String> lines(Path file) { Files.exists(file) ? Files.readAllLines(file).findAll { it.trim() } : [] }

    /**
     * Runs that wait for the gate to open, then write their output and count their completion; {@code instance}
     * and {@code top} are more lines of the instance block and of the katapult block.
     */
    Path config(String instance = '', String top = '') {
        Files.writeString(ws.resolve('afm.groovy'), """
            katapult {
                project '${PROJECT}'
                provider 'aws'
                autoStop false
                ${top}
                instance {
                    name 'w'; number ${PLANNED}; type 't3.micro'
                    region 'us-east-1'; endpoint '${fake.endpoint}'
                    sshPort ${port}; sshCidr '127.0.0.0/8'; imgUsername '${System.getProperty('user.name')}'
                    ${instance}
                }
                job {
                    name 'w'
                    runCommand 'echo "\$KATAPULT_RUN_ID" >> "${starts()}"; while [ ! -e "${gate()}" ]; do sleep 0.1; done; sleep 1; echo "done \$KATAPULT_RUN_ID" > out.txt; echo "\$KATAPULT_RUN_ID" >> "${counter()}"'
                    outputFiles 'out.txt'
                    repeat ${RUNS}
                }
            }""")
    }

    Path results() { ws.resolve("results/${PROJECT}/w") }

    int fetched() { (1..RUNS).count { Files.exists(results().resolve("$it/out.txt")) } }

    /** Katapult as its own JVM; a short-lived one, so no time goes to optimising its code. */
    Process katapult(String... args) {
        KatapultJvm.start(ws, args as List,
                ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] + AwsTestSupport.fakeAwsJvmOptions())
    }

    /** What the Katapult JVMs of a scenario said, for a failure report. */
    void printLogs() {
        Files.list(ws).withCloseable { s -> s.filter { it.fileName.toString() ==~ /katapult-\d+\.log/ }.sorted().toList() }
                .each { println "== ${it.fileName}\n" + Files.readString(it).take(4000) }
    }

    /** Waits (bounded) until {@code condition} holds; false when it never did. */
    static boolean await(long seconds, Closure<Boolean> condition) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L
        while (!condition()) {
            if (System.nanoTime() > deadline) {
                return false
            }
            sleep(20)
        }
        true
    }

    /** Files of that name under the instances' disks. */
    List<Path> onInstances(String name) {
        machines.values().collectMany { host ->
            try {
                Files.walk(host.home).withCloseable { s -> s.filter { it.fileName.toString() == name }.toList() }
            } catch (IOException | UncheckedIOException ignored) {
                []   // a folder went while it was walked: look again next time
            }
        }
    }

    /** The states of the runs as the agents wrote them on the instances. */
    List<String> remoteStates() {
        onInstances('state').findAll { it.parent.parent.fileName.toString() == 'runs' }.collect {
            try { Files.readString(it).trim() } catch (IOException ignored) { '' }
        }
    }

    /** What is left after down: tagged resources, live instances, processes of the instances, instance disks. */
    List<String> leftovers() {
        await(15) { LeftoverProcesses.under(ws).isEmpty() }
        fake.tagged(PROJECT) + fake.live()*.id + LeftoverProcesses.under(ws).values().collect { "process $it" } +
                machines.values().findAll { Files.exists(it.home) }.collect { "disk of ${it.address}" }
    }

    void row(String scenario, int launched, int alive, List<String> left, String extra = '') {
        FaultTable.row([provider : 'aws', scenario: scenario, runs: RUNS,
                        executions: lines(counter()).size(), started: lines(starts()).size(),
                        fetched: "${fetched()}/$RUNS", 'launched/planned': "$launched/$alive",
                        'left after down': left.size(),
                        seconds  : String.format(Locale.ROOT, '%.1f', (System.nanoTime() - began) / 1e9d),
                        notes    : extra])
    }

    def "Katapult (its own JVM) killed with SIGKILL #moment, run again, then down: each run once, every result, 2 instances, nothing left"() {
        given:
        def file = config()
        Process first = null
        boolean killedInLaunch = false
        if (moment == 'inside its second RunInstances') {
            fake.invisibleMillis = 2000
            fake.onLaunch = { FakeEc2.FakeInstance i ->
                launched(i)
                if (fake.instances.size() == 2) {
                    first.destroyForcibly()
                    first.waitFor(10, TimeUnit.SECONDS)
                    killedInLaunch = true
                }
            }
        }
        // until the kill, runs wait at the gate: none can finish before it, whatever the speed of this machine
        boolean holdRuns = moment != 'while fetching'
        if (holdRuns) {
            Files.delete(gate())
        } else {
            hostPath = pausingTar()
        }

        when: 'the first Katapult is killed with SIGKILL at that moment'
        first = katapult('run', file.toString())
        boolean reached = await(90) { !first.alive || killNow(moment) }
        boolean wasAlive = first.alive
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)
        int resultsAtKill = fetched()
        int startedAtKill = lines(starts()).size()
        if (holdRuns) {
            Files.createFile(gate())
        }

        and: 'it is run again, then down'
        fake.onLaunch = { FakeEc2.FakeInstance i -> launched(i) }
        def second = katapult('run', file.toString())
        boolean finished = second.waitFor(150, TimeUnit.SECONDS)
        int launched = fake.instances.size()
        int alive = fake.live().size()
        def down = katapult('down', '-p', PROJECT)
        boolean downFinished = down.waitFor(60, TimeUnit.SECONDS)
        def left = leftovers()
        if (!finished || second.exitValue() != 0 || !downFinished || down.exitValue() != 0) {
            printLogs()
        }
        row("kill -9 $moment", launched, alive, left, "at the kill: $startedAtKill started, $resultsAtKill fetched")

        then: 'the kill came at that moment'
        reached
        moment == 'inside its second RunInstances' ? killedInLaunch : wasAlive
        moment != 'while runs are RUNNING' || startedAtKill == RUNS
        moment != 'while fetching' || resultsAtKill < RUNS

        and: 'each run started and completed once, every result is home, no instance but the planned ones'
        finished
        second.exitValue() == 0
        lines(starts()).size() == RUNS
        lines(counter()).size() == RUNS
        lines(counter()).toSet().size() == RUNS
        fetched() == RUNS
        launched == PLANNED
        alive == PLANNED

        and: 'down leaves nothing'
        downFinished
        down.exitValue() == 0
        left == []

        where:
        moment << ['inside its second RunInstances', 'after deploy (agents up)', 'while runs are RUNNING',
                   'while fetching']
    }

    boolean killNow(String moment) {
        switch (moment) {
            case 'inside its second RunInstances': return false   // the fake's launch hook kills it
            case 'after deploy (agents up)': return !onInstances('agent.pid').isEmpty()
            case 'while runs are RUNNING': return lines(starts()).size() == RUNS
            default: return Files.exists(ws.resolve('fetch-paused'))
        }
    }

    /**
     * A {@code tar} first on the instances' PATH that, the first time, sends the start of the stream and then
     * pauses: fetch.sh is mid-stream when the spec kills Katapult.
     */
    Path pausingTar() {
        String real = ['bash', '-c', 'command -v tar'].execute().text.trim()
        Path bin = Files.createDirectories(ws.resolve('bin'))
        Path mark = ws.resolve('fetch-paused')
        Files.writeString(bin.resolve('tar'), """#!/bin/bash
            |if [ -e "${mark}" ]; then exec "${real}" "\$@"; fi
            |set -o pipefail
            |"${real}" "\$@" | { head -c 2048; touch "${mark}"; sleep 3; cat; }
            |""".stripMargin())
        bin.resolve('tar').toFile().setExecutable(true)
        bin
    }

    def "an instance #what mid-run: #outcome at the same address, each run completed once, every result home, nothing left after down"() {
        given: 'runs held at the gate, on 2 instances'
        Files.delete(gate())
        def session = Session.open(ws, config(extra), { events << it })
        def background = AwsTestSupport.runInBackground(session, events, Duration.ofSeconds(150), Duration.ofSeconds(60))
        assert await(60) { lines(starts()).size() == RUNS }   // every run started, none can finish
        String victim = fake.live()[0].id
        String address = fake.instances[victim].publicIp
        String key = machines[victim].hostKeyFingerprint()

        when: 'EC2 loses it; the gate opens once it is down, so none of its runs can finish there'
        if (fault != 'stopFromOutside') {
            reuse = address
        }
        fake."$fault"(victim)
        boolean wentDown = await(30) { fake.live(); downs.any { it.startsWith(victim + ' ') } }
        Files.createFile(gate())
        background.thread.join()
        int launched = fake.instances.size()
        int alive = fake.live().size()
        def after = fake.live().find { it.id != victim && it.publicIp == address } ?: fake.instances[victim]
        String afterAddress = after.publicIp   // down lets the address go
        String afterKey = machines[after.id].hostKeyFingerprint()
        def generations = session.status().instances()*.generation.sort()
        session.down()
        session.close()
        def left = leftovers()
        row("$what mid-run", launched, alive, left, outcome)

        then:
        wentDown
        background.error == null
        background.finished
        session.runs().every { it.state() == RunState.DONE }

        and: 'each run completed once, every result is home'
        lines(counter()).size() == RUNS
        lines(counter()).toSet().size() == RUNS
        lines(starts()).size() == RUNS + RUNS.intdiv(PLANNED)   // the lost instance's runs went again, once
        fetched() == RUNS

        and: 'the planned instances, plus one replacement at the lost one\'s address with a new host key'
        launched == PLANNED + replacements
        alive == PLANNED
        generations == (replacements ? [1, 2] : [1, 1])
        afterAddress == address
        (afterKey != key) == (replacements == 1)
        !events.any { it instanceof Event.Warning && it.message().contains('CHANGED') }

        and: 'down leaves nothing'
        left == []

        where:
        what               | outcome                    | fault                  | extra       | replacements
        'stopped'          | 'started again'            | 'stopFromOutside'      | ''          | 0
        'terminated'       | 'replaced'                 | 'terminateFromOutside' | ''          | 1
        'spot-interrupted' | 'replaced by a spot one'   | 'interruptSpot'        | 'eco true'  | 1
    }

    def "a throttling storm at start is waited out within retry_budget: every result, 2 instances, nothing left"() {
        given: 'EC2 throttles the calls of a start far more times in a row than any count of tries'
        fake.throttled.putAll(STORM)
        def session = Session.open(ws, config('', "retryBudget '2m'"), { events << it })

        when:
        boolean finished = session.runAll(Duration.ofSeconds(150))
        int launched = fake.instances.size()
        int alive = fake.live().size()
        session.down()
        session.close()
        def left = leftovers()
        row('throttling storm at start', launched, alive, left, "throttled answers: ${STORM.values().sum()}")

        then: 'every throttled answer was spent, and the wait was told'
        fake.throttled.values().every { it == 0 }
        events.any { it instanceof Event.Step && it.message().startsWith('AWS is throttling requests: backing off') }

        and:
        finished
        lines(counter()).size() == RUNS
        lines(counter()).toSet().size() == RUNS
        lines(starts()).size() == RUNS
        fetched() == RUNS
        launched == PLANNED
        alive == PLANNED
        left == []
    }

    /** Runs the session until the runs are submitted, then lets them finish while nothing fetches them; reads them. */
    Session finishedButNotFetched() {
        Files.delete(gate())
        def session = Session.open(ws, config(), { events << it })
        assert !session.runAll(Duration.ofMillis(300))   // the runs wait at the gate
        Files.createFile(gate())
        assert await(60) { remoteStates().count { it == 'DONE' } == RUNS }
        session.refresh()   // Katapult knows they are DONE; nothing fetched them
        assert session.runs()*.run().every { it.state() == RunState.DONE && !it.fetched() }
        session
    }

    def "down with finished runs not fetched yet fetches them first, then removes everything"() {
        given:
        def session = finishedButNotFetched()
        int atDown = fetched()

        when:
        int launched = fake.instances.size()
        int alive = fake.live().size()
        session.down()
        session.close()
        def left = leftovers()
        row('down with unfetched results', launched, alive, left, "fetched when down began: $atDown")

        then:
        atDown == 0
        events.any { it instanceof Event.Step && it.message() == "fetching ${RUNS} finished run(s) first".toString() }
        lines(counter()).size() == RUNS
        lines(starts()).size() == RUNS
        fetched() == RUNS
        launched == PLANNED
        left == []
    }

    def "down refuses, removing nothing, while an instance that holds finished runs cannot answer; once it answers, down fetches them and removes everything"() {
        given: 'finished runs, and an instance whose sshd is down'
        def session = finishedButNotFetched()
        def mute = machines[fake.live()[0].id]
        mute.stop()

        when:
        session.down()

        then: 'nothing was removed; the refusal names the runs and the way on'
        def refused = thrown(UnfetchedResultsException)
        refused.runs().size() == RUNS.intdiv(PLANNED)   // the mute instance's, each named
        refused.runs().every { it ==~ /w\/\d on w-\d \(DONE\)/ }
        refused.message.contains('--discard-unfetched')
        fake.live().size() == PLANNED
        fake.keyPairs.size() == 1
        fake.securityGroups.size() == 1

        when: 'the instance answers again'
        mute.start()
        int launched = fake.instances.size()
        int alive = fake.live().size()
        session.down()
        session.close()
        def left = leftovers()
        row('down refused (instance mute), then answered', launched, alive, left, "refused: ${refused.runs().size()} run(s)")

        then:
        lines(counter()).size() == RUNS
        lines(starts()).size() == RUNS
        fetched() == RUNS
        launched == PLANNED
        left == []
    }

    def "down --discard-unfetched (the CLI) gives up the results an instance that cannot answer holds, and leaves nothing"() {
        given: 'finished runs, and an instance whose sshd is down'
        def file = config()
        def session = finishedButNotFetched()
        def muteId = fake.live()[0].id
        machines[muteId].stop()
        session.close()

        when: 'a plain down refuses'
        def refused = katapult('down', '-p', PROJECT)
        boolean refusedFinished = refused.waitFor(90, TimeUnit.SECONDS)
        int liveAfterRefusal = fake.live().size()
        int keyPairsAfterRefusal = fake.keyPairs.size()

        and: 'down --discard-unfetched goes on'
        def discard = katapult('down', '-p', PROJECT, '--discard-unfetched')
        boolean discardFinished = discard.waitFor(90, TimeUnit.SECONDS)
        int launched = fake.instances.size()
        def left = leftovers()
        def runs = Session.peek(ws, PROJECT).runs()*.run()
        int discarded = runs.count { it.state() == RunState.ABORTED }
        if (!refusedFinished || !discardFinished || discard.exitValue() != 0) {
            printLogs()
        }
        row('down --discard-unfetched (instance mute)', launched, liveAfterRefusal, left, "discarded: $discarded run(s)")

        then:
        refusedFinished
        refused.exitValue() != 0
        liveAfterRefusal == PLANNED
        keyPairsAfterRefusal == 1
        discardFinished
        discard.exitValue() == 0
        left == []

        and: 'each run completed once; those of the mute instance are ABORTED saying why, the others are home'
        lines(counter()).size() == RUNS
        lines(starts()).size() == RUNS
        discarded == RUNS.intdiv(PLANNED)   // the mute instance's
        runs.findAll { it.state() == RunState.ABORTED }.every { it.reason().contains('discarded by `down --discard-unfetched`') }
        fetched() == RUNS - discarded
        launched == PLANNED
    }
}
