package katapult.cli

import java.nio.file.Files
import java.nio.file.Path

import katapult.LeftoverProcesses
import katapult.provider.aws.AwsTestSupport
import katapult.provider.aws.FakeEc2
import katapult.transport.OpenSshHosts
import spock.lang.AutoCleanup
import spock.lang.Requires
import spock.lang.Specification
import spock.lang.Tag
import spock.lang.TempDir
import spock.lang.Timeout

/** `katapult doctor`: one line per check, FAIL with a fix, exit 0 only when every check passes. */
@Timeout(120)
@Tag('e2e')
class DoctorSpec extends Specification {

    @TempDir
    Path ws

    @TempDir
    Path home

    def cleanup() {
        LeftoverProcesses.kill(ws)
        AwsTestSupport.clearFakeAws()
        System.clearProperty('katapult.aws.quotasEndpoint')
    }

    record Outcome(int code, String out, String err) { }

    Outcome doctor(String... args) {
        def out = new ByteArrayOutputStream()
        def err = new ByteArrayOutputStream()
        int code = Main.run(new PrintStream(out, true), new PrintStream(err, true), ['doctor', '-C', ws.toString(), *args] as String[])
        new Outcome(code, out.toString(), err.toString())
    }

    Path config(String name, String text) {
        Files.writeString(ws.resolve(name), text)
    }

    def "a sound local config passes every check, with Java, the config and the free disk named"() {
        when:
        def result = doctor(config('lab.groovy', "katapult { project 'lab'; instance { cpus 1 }; job 'j', { runCommand 'true' } }").toString())

        then:
        result.code == 0
        result.out.readLines().any { it.startsWith('ok    java: Java ') }
        result.out.contains("ok    config: ${ws.resolve('lab.groovy')}: project 'lab', provider local")
        result.out.readLines().any { it.startsWith('ok    disk: ') && it.contains('MiB free') }
        result.out.contains('checks passed')
    }

    def "a broken config is a FAIL naming its line, with the command that lists every problem; exit 1"() {
        when:
        def file = config('bad.groovy', "katapult {\n  project 'bad'\n  instance { cpuz 2 }\n}")
        def result = doctor(file.toString())

        then:
        result.code == ExitCodes.FAILED
        def line = result.out.readLines().find { it.startsWith('FAIL  config: ') }
        line.contains('bad.groovy:3')
        line.contains("fix: `katapult check ${file}`")
        !result.out.contains('Exception')
    }

    def "an ssh host that does not answer is a FAIL naming the instance"() {
        given: 'a loopback port nothing listens on'
        int port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }

        when:
        def result = doctor(config('ssh.groovy', """katapult { project 'far'; provider 'ssh'
            instance { name 'gone'; host '127.0.0.1'; port $port; user 'nobody' }
            job 'j', { runCommand 'true' } }""").toString())

        then:
        result.code == ExitCodes.FAILED
        result.out.readLines().any { it.startsWith("FAIL  ssh gone: ") && it.contains("fix: check the host, port, user and key of instance 'gone'") }
    }

    @Requires(value = { OpenSshHosts.unavailable() == null }, reason = 'OpenSSH sshd cannot run here')
    def "an ssh host that logs in passes"() {
        given:
        def hosts = new OpenSshHosts(ws.resolve('hosts'))
        def host = hosts.start()

        when:
        def result = doctor(config('ssh.groovy', """katapult { project 'near'; provider 'ssh'
            ${hosts.instanceBlock(host, 'box', 1)}
            job 'j', { runCommand 'true' } }""").toString())

        then:
        result.code == 0
        result.out.readLines().any { it.startsWith('ok    ssh box: ') && it.contains('answers') }

        cleanup:
        hosts?.close()
    }

    def "aws against the fake EC2: credentials found, a type the region offers passes, an unknown one is a FAIL"() {
        given:
        FakeEc2 fake = new FakeEc2()
        AwsTestSupport.useFakeAws(ws, home)
        def file = config('aws.groovy', """katapult { project 'cloud'; provider 'aws'
            instance { name 'good'; type 't3.micro'; region 'us-east-1'; endpoint '${fake.endpoint}' }
            instance { name 'odd'; type 'z9.huge'; region 'us-east-1'; endpoint '${fake.endpoint}' }
            job 'j', { runCommand 'true' } }""")

        when:
        def result = doctor(file.toString())

        then:
        result.code == ExitCodes.FAILED
        result.out.contains('ok    credentials and region: found')
        result.out.contains('ok    type good: t3.micro: 2 vCPUs')
        result.out.readLines().any { it.startsWith('FAIL  type odd: ') && it.contains('z9.huge') }
        result.out.contains("ok    quota on-demand standard vCPUs in us-east-1 (L-1216C47A): the config asks for 2, the account's quota is 32")

        cleanup:
        fake?.close()
    }

    /** An aws config against {@code fake}: each of {@code entries} is [name, type, number, eco]. */
    Path awsConfig(FakeEc2 fake, List<List> entries) {
        config('quota.groovy', """katapult { project 'cloud'; provider 'aws'
            ${entries.collect { name, type, number, eco -> "instance { name '$name'; type '$type'; number $number; eco $eco; region 'us-east-1'; endpoint '${fake.endpoint}' }" }.join('\n')}
            job 'j', { runCommand 'true' } }""")
    }

    def "quotas: enough vCPUs on-demand and spot pass, each quota read once, signed for the entries' region"() {
        given: '4 x t3.micro on-demand (8 vCPUs of 32), 1 x c5.4xlarge spot (16 of 16)'
        FakeEc2 fake = new FakeEc2()
        AwsTestSupport.useFakeAws(ws, home)

        when:
        def result = doctor(awsConfig(fake, [['small', 't3.micro', 4, false], ['big', 'c5.4xlarge', 1, true]]).toString())

        then:
        result.code == 0
        result.out.contains("ok    quota on-demand standard vCPUs in us-east-1 (L-1216C47A): the config asks for 8, the account's quota is 32")
        result.out.contains("ok    quota spot standard vCPUs in us-east-1 (L-34B43A08): the config asks for 16, the account's quota is 16")
        fake.quotas.asked.sort() == ['us-east-1 L-1216C47A', 'us-east-1 L-34B43A08']
        result.out.contains('all ')

        cleanup:
        fake?.close()
    }

    def "quotas: a remote maestro's instance counts, on-demand in the first entry's region"() {
        given: "1 x t3.micro spot, and the maestro on a c5.4xlarge: 16 vCPUs on-demand"
        FakeEc2 fake = new FakeEc2()
        AwsTestSupport.useFakeAws(ws, home)
        def file = config('maestro.groovy', """katapult { project 'cloud'; provider 'aws'; maestro 'remote'; maestroType 'c5.4xlarge'
            instance { name 'small'; type 't3.micro'; eco true; region 'us-east-1'; endpoint '${fake.endpoint}' }
            job 'j', { runCommand 'true' } }""")

        when:
        def result = doctor(file.toString())

        then:
        result.out.contains("ok    quota spot standard vCPUs in us-east-1 (L-34B43A08): the config asks for 2, the account's quota is 16")
        result.out.contains("ok    quota on-demand standard vCPUs in us-east-1 (L-1216C47A): the config asks for 16, the account's quota is 32")

        cleanup:
        fake?.close()
    }

    def "quotas: more vCPUs than the quota is a FAIL saying how much is asked and allowed; exit 1"() {
        given: '3 x c5.4xlarge on-demand: 48 vCPUs, the quota is 32'
        FakeEc2 fake = new FakeEc2()
        AwsTestSupport.useFakeAws(ws, home)

        when:
        def result = doctor(awsConfig(fake, [['big', 'c5.4xlarge', 3, false], ['more', 't3.micro', 1, false]]).toString())

        then:
        result.code == ExitCodes.FAILED
        def line = result.out.readLines().find { it.startsWith('FAIL  quota on-demand standard vCPUs in us-east-1 (L-1216C47A): ') }
        line.contains("the config asks for 50, the account's quota is 32")
        line.contains('fix: ask for fewer, or ask AWS for a higher quota')
        result.out.contains('1 of ')

        cleanup:
        fake?.close()
    }

    def "quotas: denied, unreachable, or of another family is a skip, not a FAIL: exit 0"() {
        given:
        FakeEc2 fake = new FakeEc2()
        AwsTestSupport.useFakeAws(ws, home)
        fake.quotas.deny = true
        def file = awsConfig(fake, [['small', 't3.micro', 1, false], ['gpu', 'g4dn.xlarge', 2, false]])

        when:
        def denied = doctor(file.toString())

        then:
        denied.code == 0
        denied.out.contains('skip  quota on-demand standard vCPUs in us-east-1 (L-1216C47A): not readable (access denied'
                + ' (the credentials may not call servicequotas:GetServiceQuota)), so not checked; the config asks for 2')
        denied.out.contains('skip  quota g4dn.xlarge vCPUs in us-east-1: not readable (its family has a quota of its own, not read)')
        denied.out.contains('checks passed, 2 skipped (could not be made)')
        !denied.out.contains('FAIL')

        when: 'the quotas endpoint is a loopback port nothing listens on'
        int port = new ServerSocket(0, 1, InetAddress.getByName('127.0.0.1')).withCloseable { it.localPort }
        System.setProperty('katapult.aws.quotasEndpoint', "http://127.0.0.1:$port")
        def unreachable = doctor(file.toString())

        then:
        unreachable.code == 0
        unreachable.out.readLines().any { it.startsWith('skip  quota on-demand standard vCPUs in us-east-1 (L-1216C47A): not readable (') }
        !unreachable.out.contains('FAIL')

        cleanup:
        fake?.close()
    }

    def "aws without credentials is a FAIL saying how to set them up"() {
        given:
        AwsTestSupport.useFakeAws(ws, home, false)

        when:
        def result = doctor(config('aws.groovy', """katapult { project 'cloud'; provider 'aws'
            instance { type 't3.micro'; region 'us-east-1' }
            job 'j', { runCommand 'true' } }""").toString())

        then:
        result.code == ExitCodes.FAILED
        result.out.readLines().any { it.startsWith('FAIL  credentials and region: no AWS credentials found') }
    }
}
