package katapult.provider.aws

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit

import com.fasterxml.jackson.databind.ObjectMapper
import katapult.KatapultJvm
import katapult.LeftoverProcesses
import katapult.transport.ShellQuote
import katapult.transport.SshTestHosts
import spock.lang.AutoCleanup
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/**
 * The remote maestro on the aws provider end to end, against the fake EC2: every fake instance (the maestro and
 * the workers) is an SSH test host on its own loopback address; the laptop's Katapult (a JVM of its own, the CLI's
 * main) hands the session to the maestro made by {@link AwsMaestroHosting}, where a real Katapult JVM launches two
 * workers through the fake's endpoint and drives them over SSH. The laptop is killed with SIGKILL once the hand-off
 * is recorded; a new laptop Katapult fetches the results and takes everything down.
 *
 * The maestro's JVM gets the fake's fast timing, {@code katapult.aws.offline} and its own address (what it would
 * ask the internet for) from a {@code java} first on the maestro host's PATH that adds those system properties;
 * everything else (endpoint, region, credentials, its Katapult home) comes from the hand-off itself.
 */
@Timeout(420)
@Tag('e2e')
class AwsMaestroSpec extends Specification {

    static final String PROJECT = 'handed'
    static final int RUNS = 6

    @AutoCleanup
    FakeEc2 fake = new FakeEc2()

    @TempDir
    Path ws

    @AutoCleanup
    SshTestHosts hosts

    Map<String, SshTestHosts.Host> machines = new ConcurrentHashMap<>()
    int port
    volatile SshTestHosts.Host maestro
    Path config

    def setup() {
        hosts = new SshTestHosts(ws.resolve('hosts'))
        port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
        // the project's key is the test hosts' client key: what the fake's key pair imports and the hosts accept
        Path keys = Files.createDirectories(ws.resolve('home/keys'))
        Files.copy(hosts.clientKey, keys.resolve(PROJECT))
        Files.copy(Path.of(hosts.clientKey.toString() + '.pub'), keys.resolve(PROJECT + '.pub'))
        Files.setPosixFilePermissions(keys.resolve(PROJECT), PosixFilePermissions.fromString('rw-------'))
        fake.onLaunch = { FakeEc2.FakeInstance i ->
            def host = hosts.start(i.tags['katapult:role'] == 'maestro' ? 'maestro' : "worker-${i.id}")
            host.stop()
            host.port = port
            machines[i.id] = host
            i.publicIp = host.address
            i.console = AwsSshSpec.console(host.hostKeyFingerprint())
            if (i.tags['katapult:role'] == 'maestro') {
                host.pathPrefix = maestroJava(host.address)
                maestro = host
            }
        }
        fake.onState = { String id, String state ->
            def host = machines[id]
            if (state == 'running' && !host.running) {
                host.start()
            } else if (state != 'running') {
                host.stop()
                FakeHosts.killProcesses(host.home)      // the machine is down: so are its processes
                if (state == 'terminated') {
                    LeftoverProcesses.kill(host.home)
                    host.home.toFile().deleteDir()
                }
            }
        }
        AwsTestSupport.useFakeAws(ws, ws.resolve('home'))
        config = Files.writeString(ws.resolve('unattended.groovy'), """katapult {
            project '${PROJECT}'
            provider 'aws'
            maestro 'remote'
            instance {
                name 'w'; number 2; type 't3.micro'
                region 'us-east-1'; endpoint '${fake.endpoint}'
                sshPort ${port}; sshCidr '198.51.100.7/32'; imgUsername '${System.getProperty('user.name')}'
            }
            job {
                name 'work'
                runCommand 'echo "\$KATAPULT_RUN_ID" >> ${counter()}; sleep 1; echo "\$KATAPULT_RUN_ID" > out.txt'
                outputFiles 'out.txt'
                repeat $RUNS
            }
        }""")
    }

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
    }

    /**
     * A folder holding a {@code java} that runs this JVM's java with the fake's timing, offline, answering
     * {@code address} as the machine's public address: for the PATH of the maestro's commands.
     */
    Path maestroJava(String address) {
        Path bin = Files.createDirectories(ws.resolve('maestro-bin'))
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def options = ['katapult.aws.poll=30', 'katapult.aws.retryBase=5', 'katapult.aws.retryMax=40',
                       'katapult.aws.notFoundGrace=1500', 'katapult.aws.offline=true',
                       "katapult.aws.publicAddress=${address}"].collect { ShellQuote.quote("-D$it".toString()) }
        Path script = bin.resolve('java')
        Files.writeString(script, "#!/bin/bash\nexec ${ShellQuote.quote(java)} ${options.join(' ')} \"\$@\"\n")
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString('rwxr-xr-x'))
        bin
    }

    Path counter() {
        ws.resolve('counter.txt')
    }

    List<String> executions() {
        Files.exists(counter()) ? Files.readAllLines(counter()) : []
    }

    Path marker() {
        ws.resolve(".katapult/${PROJECT}/maestro.json")
    }

    Path maestroDir() {
        maestro.home.resolve(".katapult-maestro/${PROJECT}")
    }

    Process laptop(List<String> args) {
        KatapultJvm.start(ws, args, AwsTestSupport.fakeAwsJvmOptions(),
                [KATAPULT_SSH_DIR: ws.resolve('no-user-ssh').toString()])
    }

    int finish(Process p, int seconds = 240) {
        assert p.waitFor(seconds, TimeUnit.SECONDS): "laptop Katapult still running:\n${logs()}"
        p.exitValue()
    }

    String logs() {
        def laptops = Files.list(ws).withCloseable { s -> s.filter { it.fileName.toString().endsWith('.log') }.sorted().toList() }
        def maestroLog = maestro == null ? null : maestroDir().resolve('maestro.log')
        (laptops.collect { "== $it.fileName\n" + Files.readString(it) } +
                (maestroLog != null && Files.exists(maestroLog) ? ['== maestro.log\n' + Files.readString(maestroLog)] : []))
                .join('\n')
    }

    void waitFor(int seconds, Closure<Boolean> condition) {
        long deadline = System.currentTimeMillis() + seconds * 1000L
        while (!condition() && System.currentTimeMillis() < deadline) {
            sleep 100
        }
        if (!condition()) {
            assert false, logs()
        }
    }

    Map markerJson() {
        new ObjectMapper().readValue(marker().toFile(), Map)
    }

    List<Path> outputs() {
        def dir = ws.resolve("results/${PROJECT}")
        Files.exists(dir) ? Files.walk(dir).withCloseable { s -> s.filter { it.fileName.toString() == 'out.txt' }.toList() } : []
    }

    List<FakeEc2.FakeInstance> workers() {
        fake.instances.values().findAll { it.tags['katapult:role'] != 'maestro' }
    }

    def "handed off to a maestro on EC2, the laptop killed with SIGKILL: the maestro runs 6 jobs on 2 workers and stops them; a new laptop fetches all 6 outputs; down leaves nothing tagged"() {
        when: 'the laptop hands the session off and is killed once the hand-off is recorded'
        def first = laptop(['run', config.toString()])
        waitFor(240) { Files.exists(marker()) && markerJson().phase == 'HANDED_OFF' }
        first.destroyForcibly()
        first.waitFor(10, TimeUnit.SECONDS)

        then: 'the maestro is the one instance tagged as the project maestro, launched with its instance profile'
        fake.instances.values().count { it.tags['katapult:role'] == 'maestro' } == 1
        fake.instances.values().find { it.tags['katapult:role'] == 'maestro' }.iamProfile.name == "katapult-maestro-${PROJECT}"

        when: 'the maestro finishes alone'
        waitFor(300) { Files.exists(maestroDir().resolve('exit')) }

        then: 'every job ran once, on the 2 workers, which the maestro stopped; nothing reached the laptop yet'
        Files.readString(maestroDir().resolve('exit')).strip() == '0'
        executions().size() == RUNS
        executions().toSet().size() == RUNS
        workers().size() == 2
        workers().every { it.state in ['stopping', 'stopped'] }
        outputs().isEmpty()

        when: 'a new laptop Katapult fetches'
        def fetch = laptop(['fetch'])

        then:
        finish(fetch) == 0
        outputs().size() == RUNS
        outputs().collect { Files.readString(it).strip() }.toSet() == executions().toSet()

        when: 'down'
        def down = laptop(['down'])

        then: 'nothing tagged is left, no IAM role or profile under the project path, no process of the maestro or workers'
        finish(down) == 0
        fake.tagged(PROJECT).isEmpty()
        fake.roles.values().every { !(it.path as String).startsWith("/katapult/${PROJECT}/") }
        fake.instanceProfiles.values().every { !(it.path as String).startsWith("/katapult/${PROJECT}/") }
        fake.instances.values().every { it.state in ['shutting-down', 'terminated'] }
        !Files.exists(marker())
        outputs().size() == RUNS
        waitFor(30) { LeftoverProcesses.under(ws.resolve('hosts')).isEmpty() }
    }
}
